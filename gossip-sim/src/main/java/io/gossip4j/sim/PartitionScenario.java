package io.gossip4j.sim;

import java.time.Duration;
import java.util.List;

/**
 * {@code partition}: as {@code stable}, then the network is cut in two ({@link SimConfig#split}
 * of the nodes on one side) for {@link SimConfig#cut}, with {@link SimConfig#broadcasts}
 * broadcasts spread over the cut; then the network returns and a broadcast goes out every
 * {@link #STEP} for {@link #AFTER}. Links across the cut break silently and each end notices
 * after {@link #DETECTION}, the transport's default idle timeout.
 *
 * <p>Measured: how soon after the network's return the first link crosses the cut (polled
 * every {@link #STEP}), and how soon every broadcast reaches every node again. Broadcasts sent
 * during the cut reach only their own side: nothing catches them up yet.
 */
public final class PartitionScenario implements Scenario {
  /** How long a transport takes to notice a silent connection: its idle timeout. */
  static final Duration DETECTION = Duration.ofSeconds(5);
  /** Spacing of the broadcasts and of the link counts after the cut heals. */
  static final Duration STEP = Duration.ofMillis(500);
  /** How long broadcasts go on after the cut heals. */
  static final Duration AFTER = Duration.ofSeconds(30);

  @Override
  public String name() {
    return "partition";
  }

  @Override
  public SimReport run(SimConfig config) {
    try (Simulation sim = Simulation.formed(config, config.cycles())) {
      OverlayStats overlay = sim.overlay();
      boolean[] sides = sim.partitionRandom(config.split(), DETECTION.toNanos());
      long cutAt = sim.network().now();
      int first = sim.ledger().size();
      BroadcastLedger.Traffic traffic = sim.ledger().traffic();
      long cutNanos = config.cut().toNanos();
      long interval = Math.max(1, cutNanos / Math.max(1, config.broadcasts()));
      for (int i = 0; i < config.broadcasts(); i++) {
        sim.broadcast(sim.nextSender());
        sim.runFor(interval);
      }
      sim.runFor(Math.max(0, cutAt + cutNanos - sim.network().now()));
      sim.network().heal();
      long healedAt = sim.network().now();
      int firstAfter = sim.ledger().size();
      long relinkedAt = -1;
      long steps = AFTER.toNanos() / STEP.toNanos();
      for (long step = 0; step < steps; step++) {
        if (relinkedAt < 0 && sim.linksAcross(sides) > 0) {
          relinkedAt = sim.network().now();
        }
        sim.broadcast(sim.nextSender());
        sim.runFor(STEP.toNanos());
      }
      sim.settle();
      SimReport report = sim.report(name(), first, traffic, overlay, -1);
      List<BroadcastStats> all = report.broadcasts();
      int during = firstAfter - first;
      return report.withPartition(new PartitionStats(
          cutNanos / 1_000_000,
          relinkedAt < 0 ? -1 : (relinkedAt - healedAt) / 1_000_000,
          mergedMs(all.subList(during, all.size()), healedAt),
          sim.linksAcross(sides),
          meanReliability(all.subList(0, during)),
          meanReliability(all.subList(during, all.size()))));
    }
  }

  /**
   * From {@code healedAt} until the first of {@code after} from which on every broadcast
   * reached every live node; -1 if the last one did not.
   */
  static long mergedMs(List<BroadcastStats> after, long healedAt) {
    int from = after.size();
    while (from > 0 && after.get(from - 1).reliability() >= 1.0) {
      from--;
    }
    if (from == after.size()) {
      return -1;
    }
    return Math.max(0, after.get(from).sentAtNanos() - healedAt) / 1_000_000;
  }

  private static double meanReliability(List<BroadcastStats> broadcasts) {
    return broadcasts.stream().mapToDouble(BroadcastStats::reliability).average().orElse(0);
  }
}
