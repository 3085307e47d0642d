package io.gossip4j.proto;

import io.gossip4j.NodeId;
import io.gossip4j.PlumTreeStats;
import io.gossip4j.TopicId;
import java.util.List;
import java.util.Set;

/**
 * A read-only picture of one topic's state, for tests, metrics and the simulator.
 *
 * @param topic the topic
 * @param active HyParView's active view (our neighbors)
 * @param passive HyParView's passive view
 * @param pending peers with an unanswered JOIN or NEIGHBOR request
 * @param broadcastNeighbors the neighbors PlumTree pushes to (eagerly or lazily, per origin)
 * @param broadcastTrees origins whose broadcast trees (pruned links) are remembered
 * @param broadcast PlumTree's counters and cache sizes
 */
public record TopicSnapshot(
    TopicId topic,
    List<NodeId> active,
    List<NodeId> passive,
    Set<NodeId> pending,
    Set<NodeId> broadcastNeighbors,
    int broadcastTrees,
    PlumTreeStats broadcast) {}
