package io.gossip4j.sim;

/**
 * The measures of one simulated broadcast.
 *
 * @param index its position among the run's broadcasts, from 0
 * @param origin the sender's node index
 * @param sentAtNanos when it was sent, virtual time
 * @param reliability share of the nodes it should have reached that delivered it: those alive
 *     from its sending until {@link SimConfig#settle} after, the origin excepted
 * @param rmr relative message redundancy, m / (n - 1) - 1: 0 when every payload copy received
 *     was a first delivery
 * @param ldh last delivery hop: the largest hop count of a delivery (1 = from the origin)
 * @param deliveries nodes that delivered it
 * @param expected nodes that should have
 * @param payloadSent GOSSIP messages sent for it, to live and crashed nodes alike
 * @param payloadReceived GOSSIP messages for it that reached a live node
 * @param lateDeliveries deliveries that catch-up made after the broadcast had passed (not in
 *     {@code ldh} nor the latencies)
 * @param lastDeliveredAtNanos when its last delivery happened, virtual time (0: none)
 */
public record BroadcastStats(
    int index,
    int origin,
    long sentAtNanos,
    double reliability,
    double rmr,
    int ldh,
    int deliveries,
    int expected,
    int payloadSent,
    int payloadReceived,
    int lateDeliveries,
    long lastDeliveredAtNanos) {}
