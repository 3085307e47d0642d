package io.gossip4j.sim;

/**
 * {@code churn}: as {@code stable} with {@link #WARM_UP_CYCLES} cycles, then for
 * {@link SimConfig#cycles} cycles: at the start of each, {@link SimConfig#churnPerCycle} random
 * nodes crash and {@link SimConfig#joinsPerCycle} new ones (as many, unless set otherwise) join
 * through random live nodes; half a cycle later one
 * broadcast goes out. {@link SimConfig#broadcasts} is not used: there is one per cycle.
 */
public final class ChurnScenario implements Scenario {
  /** Cycles for the overlay to settle before the churn starts. */
  public static final int WARM_UP_CYCLES = 10;

  @Override
  public String name() {
    return "churn";
  }

  @Override
  public SimReport run(SimConfig config) {
    try (Simulation sim = Simulation.formed(config, WARM_UP_CYCLES)) {
      OverlayStats overlay = sim.overlay();
      long half = config.cycle().toNanos() / 2;
      int first = sim.ledger().size();
      BroadcastLedger.Traffic before = sim.ledger().traffic();
      for (int c = 0; c < config.cycles(); c++) {
        sim.nextSender();
        sim.crashRandom(config.churnPerCycle());
        for (int i = 0; i < config.joinsPerCycle(); i++) {
          sim.addNodeThroughRandomContact();
        }
        sim.runFor(half);
        sim.broadcast(sim.nextSender());
        sim.runFor(config.cycle().toNanos() - half);
      }
      sim.settle();
      return sim.report(name(), first, before, overlay, -1);
    }
  }
}
