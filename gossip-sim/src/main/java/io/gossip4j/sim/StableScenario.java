package io.gossip4j.sim;

/**
 * {@code stable}: the nodes join through one contact, {@link SimConfig#cycles} membership cycles
 * pass, then {@link SimConfig#broadcasts} broadcasts go out and are measured. Nothing fails.
 */
public class StableScenario implements Scenario {

  @Override
  public String name() {
    return "stable";
  }

  @Override
  public SimReport run(SimConfig config) {
    try (Simulation sim = Simulation.formed(config, config.cycles())) {
      OverlayStats overlay = sim.overlay();
      int first = sim.ledger().size();
      BroadcastLedger.Traffic before = sim.ledger().traffic();
      sim.broadcastBatch(config.broadcasts());
      sim.settle();
      return sim.report(name(), first, before, overlay, -1);
    }
  }
}
