package io.gossip4j.netty;

import io.gossip4j.PlumTreeStats;
import io.gossip4j.TopicId;
import io.gossip4j.netty.transport.TransportMetrics;
import io.gossip4j.proto.TopicSnapshot;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A snapshot of one node's counters.
 *
 * @param framesIn frames received, by message kind (GOSSIP, IHAVE, HEARTBEAT, ...)
 * @param bytesIn frame body bytes received, by kind
 * @param framesOut frames sent, by kind
 * @param bytesOut frame body bytes sent, by kind
 * @param connectionsOpened connections that became a peer's one channel
 * @param connectionsReplaced connections that lost the one-channel tie-break or were stale
 * @param connectionsFailed dials that failed
 * @param queueOverflows peers disconnected for not keeping up
 * @param rejectedFrames connections closed for a malformed or oversized frame
 * @param topics per topic: neighbors, broadcast counters, lagged events
 * @param tlsProvider the TLS implementation the node's connections use: {@link TlsProvider#JDK}
 *     or {@link TlsProvider#OPENSSL}
 */
public record GossipMetrics(
    Map<String, Long> framesIn,
    Map<String, Long> bytesIn,
    Map<String, Long> framesOut,
    Map<String, Long> bytesOut,
    long connectionsOpened,
    long connectionsReplaced,
    long connectionsFailed,
    long queueOverflows,
    long rejectedFrames,
    Map<TopicId, TopicMetrics> topics,
    TlsProvider tlsProvider) {

  /** Names of the wire type codes, as docs/wire-format.md lists them. */
  private static final List<String> KINDS = List.of(
      "JOIN", "FORWARD_JOIN", "NEIGHBOR", "NEIGHBOR_REPLY", "DISCONNECT", "SHUFFLE",
      "SHUFFLE_REPLY", "GOSSIP", "IHAVE", "GRAFT", "PRUNE", "TREE", "SYNC", "HELLO", "CLOSE",
      "HEARTBEAT");

  /**
   * One topic's counters.
   *
   * @param neighbors current active-view size
   * @param subscribers live subscriptions
   * @param lagged events dropped across this topic's subscribers because they fell behind
   * @param broadcast the broadcast layer's counters and cache sizes, among them the messages
   *     dropped for a bad origin signature ({@link PlumTreeStats#invalidSignatures()}), rejected
   *     or ignored by the topic's {@link Validator}, or outside the replay window
   *     ({@link PlumTreeStats#replays()}), and the neighbors expelled for them
   */
  public record TopicMetrics(int neighbors, int subscribers, long lagged,
      PlumTreeStats broadcast) {}

  /** A message kind's count, 0 when none was seen. */
  public long framesIn(String kind) {
    return framesIn.getOrDefault(kind, 0L);
  }

  /** A message kind's count, 0 when none was sent. */
  public long framesOut(String kind) {
    return framesOut.getOrDefault(kind, 0L);
  }

  /** Taken on the event loop. */
  static GossipMetrics snapshot(Driver driver) {
    TransportMetrics t = driver.connections().metrics();
    Map<String, Long> framesIn = new LinkedHashMap<>();
    Map<String, Long> bytesIn = new LinkedHashMap<>();
    Map<String, Long> framesOut = new LinkedHashMap<>();
    Map<String, Long> bytesOut = new LinkedHashMap<>();
    for (int type = 0; type < TransportMetrics.TYPES; type++) {
      putNonZero(framesIn, KINDS.get(type), t.framesIn(type));
      putNonZero(bytesIn, KINDS.get(type), t.bytesIn(type));
      putNonZero(framesOut, KINDS.get(type), t.framesOut(type));
      putNonZero(bytesOut, KINDS.get(type), t.bytesOut(type));
    }
    Map<TopicId, TopicMetrics> topics = new LinkedHashMap<>();
    for (TopicId id : driver.topicIds()) {
      Driver.TopicState state = driver.topicState(id);
      TopicSnapshot snapshot = driver.protocol().snapshot(id).orElse(null);
      if (state == null || snapshot == null) {
        continue;
      }
      long lagged = 0;
      for (Subscriber s : state.subscribers) {
        lagged += s.droppedTotal();
      }
      topics.put(id, new TopicMetrics(snapshot.active().size(), state.subscribers.size(), lagged,
          snapshot.broadcast()));
    }
    return new GossipMetrics(Map.copyOf(framesIn), Map.copyOf(bytesIn), Map.copyOf(framesOut),
        Map.copyOf(bytesOut), t.connectionsOpened(), t.connectionsReplaced(),
        t.connectionsFailed(), t.queueOverflows(), t.rejectedFrames(), Map.copyOf(topics),
        driver.connections().tlsProvider());
  }

  private static void putNonZero(Map<String, Long> map, String key, long value) {
    if (value != 0) {
      map.put(key, value);
    }
  }
}
