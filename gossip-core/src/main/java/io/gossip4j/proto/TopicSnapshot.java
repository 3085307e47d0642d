package io.gossip4j.proto;

import io.gossip4j.NodeId;
import io.gossip4j.PlumTreeStats;
import io.gossip4j.TopicId;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A read-only picture of one topic's state, for tests, metrics and the simulator.
 *
 * @param topic the topic
 * @param active HyParView's active view (our neighbors)
 * @param passive HyParView's passive view
 * @param pending peers with an unanswered JOIN or NEIGHBOR request
 * @param broadcastNeighbors the neighbors PlumTree pushes to (eagerly or lazily, per origin)
 * @param broadcastTrees origins with a broadcast tree of their own here
 * @param sharedTreeRoot the root of the topic's shared broadcast tree as this node sees it
 * @param sharedTreeParent this node's parent in the shared tree; empty at the root, or while
 *     this node has no path to it
 * @param sharedTreeLinks the neighbors this node pushes shared-tree payloads to: its parent,
 *     its children, and neighbors whose place it does not know yet
 * @param broadcast PlumTree's counters and cache sizes
 */
public record TopicSnapshot(
    TopicId topic,
    List<NodeId> active,
    List<NodeId> passive,
    Set<NodeId> pending,
    Set<NodeId> broadcastNeighbors,
    int broadcastTrees,
    NodeId sharedTreeRoot,
    Optional<NodeId> sharedTreeParent,
    Set<NodeId> sharedTreeLinks,
    PlumTreeStats broadcast) {}
