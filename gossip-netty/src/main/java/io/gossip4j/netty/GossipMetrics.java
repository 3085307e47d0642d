package io.gossip4j.netty;

import io.gossip4j.PlumTreeStats;
import io.gossip4j.TopicId;
import io.gossip4j.netty.transport.TransportMetrics;
import io.gossip4j.proto.TopicSnapshot;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A snapshot of one node's counters.
 *
 * @param framesIn frames received, by kind (kinds never seen are absent)
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
    Map<FrameKind, Long> framesIn,
    Map<FrameKind, Long> bytesIn,
    Map<FrameKind, Long> framesOut,
    Map<FrameKind, Long> bytesOut,
    long connectionsOpened,
    long connectionsReplaced,
    long connectionsFailed,
    long queueOverflows,
    long rejectedFrames,
    Map<TopicId, TopicMetrics> topics,
    TlsProvider tlsProvider) {

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

  /** Frames of this kind received, 0 when none was. */
  public long framesIn(FrameKind kind) {
    return framesIn.getOrDefault(kind, 0L);
  }

  /** Frames of this kind sent, 0 when none was. */
  public long framesOut(FrameKind kind) {
    return framesOut.getOrDefault(kind, 0L);
  }

  /** Body bytes of the frames of this kind received, 0 when none was. */
  public long bytesIn(FrameKind kind) {
    return bytesIn.getOrDefault(kind, 0L);
  }

  /** Body bytes of the frames of this kind sent, 0 when none was. */
  public long bytesOut(FrameKind kind) {
    return bytesOut.getOrDefault(kind, 0L);
  }

  /** Taken on the event loop. */
  static GossipMetrics snapshot(Driver driver) {
    TransportMetrics t = driver.connections().metrics();
    Map<FrameKind, Long> framesIn = new EnumMap<>(FrameKind.class);
    Map<FrameKind, Long> bytesIn = new EnumMap<>(FrameKind.class);
    Map<FrameKind, Long> framesOut = new EnumMap<>(FrameKind.class);
    Map<FrameKind, Long> bytesOut = new EnumMap<>(FrameKind.class);
    for (int type = 0; type < TransportMetrics.TYPES; type++) {
      FrameKind kind = FrameKind.ofType(type);
      putNonZero(framesIn, kind, t.framesIn(type));
      putNonZero(bytesIn, kind, t.bytesIn(type));
      putNonZero(framesOut, kind, t.framesOut(type));
      putNonZero(bytesOut, kind, t.bytesOut(type));
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
    return new GossipMetrics(Collections.unmodifiableMap(framesIn),
        Collections.unmodifiableMap(bytesIn), Collections.unmodifiableMap(framesOut),
        Collections.unmodifiableMap(bytesOut), t.connectionsOpened(), t.connectionsReplaced(),
        t.connectionsFailed(), t.queueOverflows(), t.rejectedFrames(), Map.copyOf(topics),
        driver.connections().tlsProvider());
  }

  private static void putNonZero(Map<FrameKind, Long> map, FrameKind key, long value) {
    if (value != 0) {
      map.put(key, value);
    }
  }
}
