package io.gossip4j.sim;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code mass-failure}: as {@code stable}, then {@link SimConfig#failFraction} of the nodes
 * crash at once; the broadcasts start at that instant while membership cycles go on. Before the
 * failure, {@link #WARM_UP} broadcasts build the tree and give the pre-failure reliability.
 *
 * <p>Healing time is counted in membership cycles from the failure (the cycle it happens in is
 * cycle 1): the first cycle from which every cycle's mean reliability is back to the level the
 * overlay can reach, that is the pre-failure reliability, or, when some survivors lost every
 * peer they knew and can never be reached again, the mean reliability of the last quarter of the
 * broadcasts, less {@link #HEALED_TOLERANCE}.
 */
public final class MassFailureScenario implements Scenario {
  /** Broadcasts sent, and measured apart, before the failure. */
  public static final int WARM_UP = 10;
  /** How close to its healed level a cycle's reliability must be. */
  public static final double HEALED_TOLERANCE = 0.001;

  @Override
  public String name() {
    return "mass-failure";
  }

  @Override
  public SimReport run(SimConfig config) {
    try (Simulation sim = Simulation.formed(config, config.cycles())) {
      OverlayStats overlay = sim.overlay();
      sim.broadcastBatch(WARM_UP);
      sim.settle();
      double before = 0;
      for (int i = 0; i < WARM_UP; i++) {
        before += sim.ledger().stats(i).reliability();
      }
      before /= WARM_UP;
      long failedAt = sim.network().now();
      sim.nextSender(); // the single sender, if any, is drawn among all nodes and survives
      sim.crashRandom((int) Math.round(config.failFraction() * config.nodes()));
      int first = sim.ledger().size();
      BroadcastLedger.Traffic traffic = sim.ledger().traffic();
      sim.broadcastBatch(config.broadcasts());
      sim.settle();
      SimReport report = sim.report(name(), first, traffic, overlay, -1);
      return report.withHealingCycles(
          healingCycles(report.broadcasts(), failedAt, config.cycle().toNanos(), before));
    }
  }

  /** See the class comment; -1 when there are no broadcasts. */
  static int healingCycles(
      List<BroadcastStats> broadcasts, long failedAt, long cycleNanos, double preFailure) {
    if (broadcasts.isEmpty()) {
      return -1;
    }
    List<double[]> cycles = new ArrayList<>(); // per cycle: {sum, count}
    for (BroadcastStats b : broadcasts) {
      int cycle = (int) ((b.sentAtNanos() - failedAt) / cycleNanos);
      while (cycles.size() <= cycle) {
        cycles.add(new double[2]);
      }
      cycles.get(cycle)[0] += b.reliability();
      cycles.get(cycle)[1]++;
    }
    int tail = Math.max(1, broadcasts.size() / 4);
    double steady = 0;
    for (int i = broadcasts.size() - tail; i < broadcasts.size(); i++) {
      steady += broadcasts.get(i).reliability();
    }
    steady /= tail;
    double healed = Math.min(preFailure, steady) - HEALED_TOLERANCE;
    int healing = cycles.size();
    for (int c = cycles.size() - 1; c >= 0; c--) {
      double[] cycle = cycles.get(c);
      if (cycle[1] > 0 && cycle[0] / cycle[1] < healed) {
        break;
      }
      healing = c;
    }
    return healing + 1;
  }
}
