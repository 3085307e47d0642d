package io.gossip4j.sim;

import java.util.List;

/**
 * What one scenario run measured, with the papers' metrics (docs/simulation.md, Metrics). Means are over
 * the measured broadcasts; latencies are over every delivery of them, in virtual milliseconds.
 *
 * @param scenario the scenario's name
 * @param config what was run
 * @param broadcasts the measured broadcasts, in order
 * @param reliability mean reliability of the measured broadcasts, 0 to 1
 * @param reliabilityFirst mean reliability of the first {@link #FIRST} of them
 * @param rmr mean relative message redundancy
 * @param ldh mean last delivery hop
 * @param ldhMax largest last delivery hop
 * @param latencyMsMean mean delivery latency
 * @param latencyMsP99 99th percentile of the delivery latency
 * @param latencyMsMax largest delivery latency
 * @param payloadMsgsPerBroadcast GOSSIP messages sent per broadcast
 * @param controlMsgsPerBroadcast IHAVE, GRAFT, PRUNE and TREE messages sent while the
 *     broadcasts ran, per broadcast
 * @param bytesPerBroadcast bytes of every PlumTree message (the codec's frame bodies) sent while
 *     the broadcasts ran, per broadcast
 * @param membershipMsgs HyParView messages sent while the broadcasts ran
 * @param healingCycles membership cycles after a mass failure until reliability is back (see
 *     {@link MassFailureScenario}); -1 where it does not apply or never happened
 * @param overlay the overlay's shape before the measured broadcasts
 * @param events inputs the protocol cores handled in the whole run
 * @param virtualMillis virtual time the whole run took
 * @param partition the cut and its healing ({@link PartitionScenario}); null for the others
 */
public record SimReport(
    String scenario,
    SimConfig config,
    List<BroadcastStats> broadcasts,
    double reliability,
    double reliabilityFirst,
    double rmr,
    double ldh,
    int ldhMax,
    double latencyMsMean,
    double latencyMsP99,
    double latencyMsMax,
    double payloadMsgsPerBroadcast,
    double controlMsgsPerBroadcast,
    double bytesPerBroadcast,
    long membershipMsgs,
    int healingCycles,
    OverlayStats overlay,
    long events,
    long virtualMillis,
    PartitionStats partition) {

  /** How many first broadcasts {@link #reliabilityFirst} covers. */
  public static final int FIRST = 10;

  public SimReport {
    broadcasts = List.copyOf(broadcasts);
  }

  /** This report with another {@link #healingCycles}. */
  public SimReport withHealingCycles(int value) {
    return new SimReport(scenario, config, broadcasts, reliability, reliabilityFirst, rmr, ldh,
        ldhMax, latencyMsMean, latencyMsP99, latencyMsMax, payloadMsgsPerBroadcast,
        controlMsgsPerBroadcast, bytesPerBroadcast, membershipMsgs, value, overlay, events,
        virtualMillis, partition);
  }

  /** This report with {@link #partition}. */
  public SimReport withPartition(PartitionStats value) {
    return new SimReport(scenario, config, broadcasts, reliability, reliabilityFirst, rmr, ldh,
        ldhMax, latencyMsMean, latencyMsP99, latencyMsMax, payloadMsgsPerBroadcast,
        controlMsgsPerBroadcast, bytesPerBroadcast, membershipMsgs, healingCycles, overlay,
        events, virtualMillis, value);
  }
}
