package io.gossip4j.sim;

import java.util.List;

/** A named simulated experiment: what happens to the swarm, and which broadcasts are measured. */
public interface Scenario {

  /** The scenario's name, as the CLI spells it. */
  String name();

  /** Runs it; the same config gives the same report. */
  SimReport run(SimConfig config);

  /** Every scenario, by name. */
  static List<Scenario> all() {
    return List.of(
        new StableScenario(), new MassFailureScenario(), new ChurnScenario(), new FloodScenario(),
        new PartitionScenario());
  }

  /** The scenario with this name. */
  static Scenario named(String name) {
    for (Scenario s : all()) {
      if (s.name().equals(name)) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown scenario '" + name + "', expected one of "
        + all().stream().map(Scenario::name).toList());
  }
}
