package io.gossip4j.sim;

import io.gossip4j.config.HyParViewConfig;
import java.time.Duration;
import java.util.List;

/**
 * {@code partition}: on the protocol's production timings (a 60 s shuffle interval, 90 s of
 * catch-up window, {@link SimConfig#productionTimings}), the overlay forms for {@link
 * SimConfig#cycles} shuffle intervals and carries {@link #BEFORE} broadcasts; then the network
 * is cut in two ({@link SimConfig#split} of the nodes on one side) for {@link SimConfig#cut},
 * with {@link SimConfig#broadcasts} broadcasts from both sides spread over the cut; then the
 * network returns and a broadcast goes out every {@link #STEP} for {@link #AFTER}. Links across
 * the cut break silently and each end notices after {@link #DETECTION}, the transport's default
 * idle timeout.
 *
 * <p>Measured: how soon after the network's return the first link crosses the cut (polled every
 * {@link #STEP}); how soon catch-up has brought every broadcast sent before the return to every
 * node that should have it ({@code remerge_ms}); the reliability over every broadcast of the
 * run, and the deliveries that catch-up made.
 */
public final class PartitionScenario implements Scenario {
  /** How long a transport takes to notice a silent connection: its idle timeout. */
  static final Duration DETECTION = Duration.ofSeconds(5);
  /** Spacing of the broadcasts before the cut and after it heals, and of the link counts. */
  static final Duration STEP = Duration.ofMillis(500);
  /** Broadcasts before the cut. */
  static final int BEFORE = 10;
  /**
   * How long broadcasts go on after the cut heals: long enough for what catch-up could not
   * fetch to be reported as gaps (twice the gap timeout).
   */
  static final Duration AFTER = Duration.ofSeconds(40);

  @Override
  public String name() {
    return "partition";
  }

  @Override
  public SimReport run(SimConfig requested) {
    SimConfig config = requested.toBuilder()
        .productionTimings(true)
        .cycle(HyParViewConfig.defaults().shuffleInterval())
        .build();
    try (Simulation sim = Simulation.formed(config, config.cycles())) {
      OverlayStats overlay = sim.overlay();
      int first = sim.ledger().size();
      BroadcastLedger.Traffic traffic = sim.ledger().traffic();
      for (int i = 0; i < BEFORE; i++) {
        sim.broadcast(sim.nextSender());
        sim.runFor(STEP.toNanos());
      }
      boolean[] sides = sim.partitionRandom(config.split(), DETECTION.toNanos());
      long cutAt = sim.network().now();
      int firstDuring = sim.ledger().size();
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
      int during = firstDuring - first;
      int after = firstAfter - first;
      return report.withPartition(new PartitionStats(
          cutNanos / 1_000_000,
          relinkedAt < 0 ? -1 : (relinkedAt - healedAt) / 1_000_000,
          remergeMs(all.subList(0, after), healedAt),
          mergedMs(all.subList(after, all.size()), healedAt),
          sim.linksAcross(sides),
          meanReliability(all.subList(during, after)),
          meanReliability(all.subList(after, all.size())),
          all.stream().mapToLong(BroadcastStats::lateDeliveries).sum(),
          sim.ledger().missedInGaps()));
    }
  }

  /**
   * From {@code healedAt} until the last delivery of the broadcasts sent before it, if every one
   * of them reached every node that should have it; -1 if one did not.
   */
  static long remergeMs(List<BroadcastStats> beforeHeal, long healedAt) {
    long last = healedAt;
    for (BroadcastStats b : beforeHeal) {
      if (b.reliability() < 1.0) {
        return -1;
      }
      last = Math.max(last, b.lastDeliveredAtNanos());
    }
    return (last - healedAt) / 1_000_000;
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
