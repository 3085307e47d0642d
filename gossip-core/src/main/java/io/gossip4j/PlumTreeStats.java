package io.gossip4j;

import io.gossip4j.config.PlumTreeConfig;

/**
 * A snapshot of one topic's broadcast counters and cache sizes.
 *
 * @param delivered broadcasts delivered to the application
 * @param duplicates payloads received again (each may PRUNE its sender)
 * @param invalidIds payloads dropped because their id did not match their content
 * @param invalidSignatures new payloads dropped for a missing or bad origin signature
 * @param rejected new payloads the topic's validator rejected
 * @param ignored new payloads the topic's validator ignored
 * @param replays new payloads with a good signature whose timestamp was outside the replay
 *     window
 * @param neighborsExpelled neighbors dropped for reaching {@link
 *     PlumTreeConfig#invalidMessageLimit()}
 * @param graftsSent GRAFTs sent for missing messages
 * @param graftsExhausted missing messages given up on: no announcer left to graft
 * @param graftMisses GRAFTs we could not answer: the payload had left the cache
 * @param optimizations times the tree was rewired towards a shorter lazy path
 * @param missingDropped announcements ignored because the missing-message table was full, or
 *     their announcer's share of it ({@link PlumTreeConfig#missingPerNeighbor}) was
 * @param announcementsDropped IHAVE entries dropped because a peer's lazy queue was full
 * @param deliveredLate broadcasts among {@code delivered} that catch-up fetched after they had
 *     passed (a partition, a restart, a join)
 * @param wantsSent messages catch-up asked a neighbor for
 * @param syncRefused catch-up requests dropped because a neighbor exceeded its budget on a link
 * @param missedInGaps broadcasts reported missing for good in gap events
 * @param staleLate copies fetched late of messages this node had, or gave up on, longer ago
 *     than its seen cache remembers: dropped, not delivered twice
 * @param originsRefused new payloads dropped because the topic's admission rule refuses their
 *     origin
 * @param graftsOverBudget GRAFTs not answered because their neighbor had used its {@link
 *     PlumTreeConfig#graftAnswersPerSecond}
 * @param seenCacheSize ids remembered now
 * @param payloadCacheSize payloads cached now
 * @param payloadCacheBytes payload bytes cached now
 * @param missing messages announced and not yet received now
 */
public record PlumTreeStats(
    long delivered,
    long duplicates,
    long invalidIds,
    long invalidSignatures,
    long rejected,
    long ignored,
    long replays,
    long neighborsExpelled,
    long graftsSent,
    long graftsExhausted,
    long graftMisses,
    long optimizations,
    long missingDropped,
    long announcementsDropped,
    long deliveredLate,
    long wantsSent,
    long syncRefused,
    long missedInGaps,
    long staleLate,
    long originsRefused,
    long graftsOverBudget,
    int seenCacheSize,
    int payloadCacheSize,
    long payloadCacheBytes,
    int missing) {}
