package io.gossip4j.sim;

/**
 * What a {@code partition} run measured about the cut and its healing, in virtual time.
 *
 * @param cutMs how long the network was cut
 * @param relinkMs from the network's return until the first active link across the cut; -1 if
 *     none formed by the end of the run
 * @param remergeMs from the network's return until catch-up was complete: every broadcast sent
 *     before the return (before and during the cut) delivered to every node that should have
 *     it; -1 if one never was
 * @param mergedMs from the network's return until the first broadcast from which on every
 *     broadcast reached every live node; -1 if that never happened
 * @param linksAcross active links across the cut at the end of the run
 * @param reliabilityDuringCut mean reliability of the broadcasts sent during the cut, once
 *     catch-up has brought them across
 * @param reliabilityAfterHeal mean reliability of the broadcasts sent after the network returned
 * @param lateDeliveries deliveries that catch-up made
 * @param missedInGaps (broadcast, node) pairs that nodes reported missed for good in gap
 *     events: what a cut longer than the catch-up window cost, said rather than silent
 */
public record PartitionStats(
    long cutMs,
    long relinkMs,
    long remergeMs,
    long mergedMs,
    int linksAcross,
    double reliabilityDuringCut,
    double reliabilityAfterHeal,
    long lateDeliveries,
    long missedInGaps) {}
