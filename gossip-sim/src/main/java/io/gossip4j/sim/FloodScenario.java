package io.gossip4j.sim;

/**
 * {@code flood}: {@code stable} with every neighbor kept eager ({@link SimConfig#flood}): each
 * node pushes every payload to all its active peers. The baseline PlumTree's redundancy and
 * bytes are measured against.
 */
public final class FloodScenario extends StableScenario {

  @Override
  public String name() {
    return "flood";
  }

  @Override
  public SimReport run(SimConfig config) {
    return super.run(config.toBuilder().flood(true).build());
  }
}
