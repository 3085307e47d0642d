package io.gossip4j.examples.bench;

/**
 * What one swarm benchmark run measured.
 *
 * @param config what was run
 * @param deliveriesPerSecond receiver deliveries per second over the measured window
 * @param payloadMbPerSecond payload MiB delivered per second
 * @param durationMs from the first measured send to the last full delivery
 * @param latencyP50Ms median time from send to the last receiver's delivery
 * @param latencyP99Ms 99th percentile of the same
 * @param latencyMaxMs maximum of the same
 * @param copiesPerReceiver GOSSIP frames received per delivery (1.0 is a perfect tree)
 * @param controlPerDelivery IHAVE, GRAFT, PRUNE and membership frames per delivery
 * @param bytesPerDelivery bytes on the wire (frame bodies and length prefixes, inside TLS) per
 *     delivery
 * @param cpuUsPerDelivery CPU time of the whole process during the measured run (every node,
 *     sender, listener and the GC) per delivery, in microseconds
 * @param lost deliveries missing when the run ended
 * @param duplicates deliveries of a message a receiver already had
 * @param heapBeforeMb heap used after the warm-up
 * @param heapAfterMb heap used after the run
 * @param heapSamplesMb heap in use after the latest collection, every 10 s of the measured run
 * @param slowReceived messages the slow subscriber read (0 without one)
 * @param slowDropped messages the slow subscriber was told, by {@code Lagged}, it lost
 * @param latencyCdfMs the latency distribution: pairs of a share of the broadcasts (the
 *     {@link #CDF_SHARES}) and the latency, in ms, that share of them stayed within
 */
public record BenchResult(
    BenchConfig config,
    double deliveriesPerSecond,
    double payloadMbPerSecond,
    double durationMs,
    double latencyP50Ms,
    double latencyP99Ms,
    double latencyMaxMs,
    double copiesPerReceiver,
    double controlPerDelivery,
    double bytesPerDelivery,
    double cpuUsPerDelivery,
    long lost,
    long duplicates,
    double heapBeforeMb,
    double heapAfterMb,
    java.util.List<Double> heapSamplesMb,
    long slowReceived,
    long slowDropped,
    java.util.List<double[]> latencyCdfMs) {
  /** The shares of broadcasts at which {@link #latencyCdfMs} gives the latency. */
  public static final double[] CDF_SHARES = {
    0.01, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99, 0.999, 1.0
  };
}
