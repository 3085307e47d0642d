package io.gossip4j.scalecube;

import java.util.List;

/**
 * What one ScaleCube run measured; the same quantities as gossip4j's {@code BenchResult}.
 *
 * @param config what was run
 * @param sent measured broadcasts sent: {@code config.messages()} unless the run stopped early
 * @param stopReason why sending stopped early, or null
 * @param deliveriesPerSecond receiver deliveries per second, from the first measured send to the
 *     last full delivery
 * @param payloadMbPerSecond payload MiB delivered per second over the same window
 * @param durationMs from the first measured send to the last full delivery
 * @param latencyP50Ms median time from send to the last receiver's delivery (complete broadcasts)
 * @param latencyP99Ms 99th percentile of the same
 * @param latencyMaxMs maximum of the same
 * @param copiesPerReceiver copies of a broadcast received on the wire (in gossip requests, by any
 *     node) per delivery: gossip4j's GOSSIP frames per delivery; 1.0 would be a perfect tree
 * @param listenerCopiesPerReceiver times a receiver's listener saw a broadcast per delivery
 *     (ScaleCube drops copies it has seen: 1.0 unless duplicates got through)
 * @param controlPerDelivery other frames (membership, metadata, gossip requests of membership)
 *     per delivery, failure-detector probes excluded as gossip4j excludes heartbeats
 * @param bytesPerDelivery bytes received on the wire (frames and 4-byte length prefixes) per
 *     delivery
 * @param cpuUsPerDelivery CPU time of the whole process from the first measured send until
 *     ScaleCube stopped spreading the measured broadcasts, per delivery, in microseconds
 * @param lost deliveries of sent broadcasts missing when the run ended
 * @param duplicates deliveries to a listener of a broadcast it already had
 * @param membersRemoved members removed from some member's view during the measured run
 *     (suspected and not refuted in time): ScaleCube forgets which gossips of a removed member
 *     it has seen, so copies arriving later are delivered again
 * @param heapBeforeMb heap used after the warm-up
 * @param heapAfterMb heap used after the run
 * @param heapSamplesMb heap in use after the latest collection, every 10 s of the measured run
 * @param latencyCdfMs pairs of a share of the broadcasts ({@link #CDF_SHARES}) and the latency,
 *     in ms, that share stayed within: the same shares as {@code gossip bench --json}
 */
public record BenchResult(
    BenchConfig config,
    int sent,
    String stopReason,
    double deliveriesPerSecond,
    double payloadMbPerSecond,
    double durationMs,
    double latencyP50Ms,
    double latencyP99Ms,
    double latencyMaxMs,
    double copiesPerReceiver,
    double listenerCopiesPerReceiver,
    double controlPerDelivery,
    double bytesPerDelivery,
    double cpuUsPerDelivery,
    long lost,
    long duplicates,
    long membersRemoved,
    double heapBeforeMb,
    double heapAfterMb,
    List<Double> heapSamplesMb,
    List<double[]> latencyCdfMs) {
  /** The shares at which {@link #latencyCdfMs} gives the latency, as gossip bench's. */
  public static final double[] CDF_SHARES = {
    0.01, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99, 0.999, 1.0
  };
}
