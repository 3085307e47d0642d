package io.gossip4j.sim;

/**
 * What a {@code partition} run measured about the cut and its healing, in virtual time.
 *
 * @param cutMs how long the network was cut
 * @param relinkMs from the network's return until the first active link across the cut; -1 if
 *     none formed by the end of the run
 * @param mergedMs from the network's return until the first broadcast from which on every
 *     broadcast reached every live node; -1 if that never happened
 * @param linksAcross active links across the cut at the end of the run
 * @param reliabilityDuringCut mean reliability of the broadcasts sent during the cut: about the
 *     share of the sender's side, as nothing yet catches them up on the other side
 * @param reliabilityAfterHeal mean reliability of the broadcasts sent after the network returned
 */
public record PartitionStats(
    long cutMs,
    long relinkMs,
    long mergedMs,
    int linksAcross,
    double reliabilityDuringCut,
    double reliabilityAfterHeal) {}
