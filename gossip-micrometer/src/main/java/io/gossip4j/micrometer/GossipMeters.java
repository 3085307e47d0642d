package io.gossip4j.micrometer;

import io.gossip4j.PlumTreeStats;
import io.gossip4j.TopicId;
import io.gossip4j.netty.FrameKind;
import io.gossip4j.netty.Gossip;
import io.gossip4j.netty.GossipMetrics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * A node's metrics as Micrometer meters, for Prometheus, JMX, OTLP or any other registry:
 *
 * <pre>{@code
 * new GossipMeters(node).bindTo(registry);
 * }</pre>
 *
 * <p>Node-wide, with the tags given here: {@code gossip.frames.received} and {@code
 * gossip.frames.sent} (counters, tagged {@code kind} with a {@link FrameKind}), {@code
 * gossip.bytes.received} and {@code gossip.bytes.sent} (frame body bytes, by {@code kind}),
 * {@code gossip.connections.opened}, {@code .replaced} and {@code .failed} (dials or handshakes
 * that failed), {@code gossip.connections.overflowed} (peers dropped for not keeping up) and
 * {@code gossip.frames.rejected} (connections closed for a malformed or oversized frame).
 *
 * <p>Per topic, tagged {@code topic} with its id in hex, for the topics the node is in: {@code
 * gossip.topic.neighbors} and {@code gossip.topic.subscribers} (gauges), and the counters {@code
 * gossip.topic.delivered}, {@code .delivered.late}, {@code .duplicates}, {@code .lagged}
 * (events dropped for subscribers that fell behind), {@code .dropped} (tagged {@code reason}:
 * {@code invalid_signature}, {@code invalid_id}, {@code rejected}, {@code ignored}, {@code
 * replay}, {@code not_admitted}), {@code .grafts}, {@code .missed} (reported in gap events) and
 * {@code .neighbors.expelled}. A topic's meters appear at the first reading after it is subscribed and
 * are removed at the first reading after it is left.
 *
 * <p>Every meter reads one snapshot of {@link Gossip#metrics()}, taken on the node's event loop
 * at most once per {@code maxAge} (1 s by default), so a scrape of all of them costs one
 * snapshot, taken by one reader while the others read the last one. A closed node's meters
 * keep their last values. The meters hold the node weakly: they keep their last values once
 * the application has let it go, and do not keep it from being collected.
 */
public final class GossipMeters implements MeterBinder {
  private static final Duration DEFAULT_MAX_AGE = Duration.ofSeconds(1);

  /** Weakly: the meters' functions hold this binder, and the registry holds them. */
  private final WeakReference<Gossip> node;
  private final Tags tags;
  private final long maxAgeNanos;
  private final Object lock = new Object();
  private GossipMetrics last;
  private long lastAt;
  /** Whether a reader is taking a snapshot now: the others read the last one meanwhile. */
  private boolean refreshing;
  private MeterRegistry registry;
  private final Map<TopicId, List<Meter>> topicMeters = new HashMap<>();

  /** Meters for {@code node}, without extra tags. */
  public GossipMeters(Gossip node) {
    this(node, Tags.empty(), DEFAULT_MAX_AGE);
  }

  /**
   * Meters for {@code node}.
   *
   * @param tags added to every meter (a node name, say, when one process runs several nodes)
   * @param maxAge how old a snapshot may be before a reading takes a new one
   */
  public GossipMeters(Gossip node, Iterable<Tag> tags, Duration maxAge) {
    this.node = new WeakReference<>(Objects.requireNonNull(node, "node"));
    this.tags = Tags.of(tags);
    if (maxAge.isNegative()) {
      throw new IllegalArgumentException("maxAge must not be negative, was " + maxAge);
    }
    this.maxAgeNanos = maxAge.toNanos();
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    synchronized (lock) {
      if (this.registry != null) {
        throw new IllegalStateException("GossipMeters is bound to a registry already");
      }
      this.registry = registry;
    }
    for (FrameKind kind : FrameKind.values()) {
      Tags byKind = tags.and("kind", kind.name());
      counter(registry, "gossip.frames.received", "frames received", null, byKind,
          m -> m.framesIn(kind));
      counter(registry, "gossip.frames.sent", "frames sent", null, byKind,
          m -> m.framesOut(kind));
      counter(registry, "gossip.bytes.received", "frame body bytes received", "bytes", byKind,
          m -> m.bytesIn(kind));
      counter(registry, "gossip.bytes.sent", "frame body bytes sent", "bytes", byKind,
          m -> m.bytesOut(kind));
    }
    counter(registry, "gossip.connections.opened", "connections that became a peer's channel",
        null, tags, GossipMetrics::connectionsOpened);
    counter(registry, "gossip.connections.replaced",
        "connections that lost the one-channel tie-break or were stale", null, tags,
        GossipMetrics::connectionsReplaced);
    counter(registry, "gossip.connections.failed", "dials or handshakes that failed", null,
        tags, GossipMetrics::connectionsFailed);
    counter(registry, "gossip.connections.overflowed",
        "peers disconnected for not keeping up with what was sent to them", null, tags,
        GossipMetrics::queueOverflows);
    counter(registry, "gossip.frames.rejected",
        "connections closed for a malformed or oversized frame", null, tags,
        GossipMetrics::rejectedFrames);
    snapshot();
  }

  /**
   * The node's metrics, at most {@code maxAge} old; topics' meters follow its topics. One reader
   * at a time takes a new snapshot, which waits for the node's event loop, and holds no lock
   * meanwhile: the others read the last one.
   */
  private GossipMetrics snapshot() {
    synchronized (lock) {
      boolean stale = last == null || System.nanoTime() - lastAt >= maxAgeNanos;
      if (!stale || refreshing) {
        return last;
      }
      refreshing = true;
    }
    GossipMetrics fresh = null;
    try {
      Gossip g = node.get();
      fresh = g == null ? null : g.metrics();
    } catch (IllegalStateException notRunning) {
      // closed (or not started): the last values stay
    } finally {
      synchronized (lock) {
        refreshing = false;
        lastAt = System.nanoTime();
        if (fresh != null) {
          last = fresh;
          followTopics(fresh);
        }
      }
    }
    synchronized (lock) {
      return last;
    }
  }

  private void followTopics(GossipMetrics metrics) {
    topicMeters.entrySet().removeIf(e -> {
      if (metrics.topics().containsKey(e.getKey())) {
        return false;
      }
      e.getValue().forEach(registry::remove);
      return true;
    });
    for (TopicId topic : metrics.topics().keySet()) {
      if (!topicMeters.containsKey(topic)) {
        topicMeters.put(topic, bindTopic(topic));
      }
    }
  }

  private List<Meter> bindTopic(TopicId topic) {
    Tags byTopic = tags.and("topic", topic.toHex());
    List<Meter> meters = new ArrayList<>();
    meters.add(topicGauge("gossip.topic.neighbors", "neighbors in the active view", byTopic,
        topic, t -> t.neighbors()));
    meters.add(topicGauge("gossip.topic.subscribers", "live subscriptions", byTopic, topic,
        t -> t.subscribers()));
    meters.add(topicCounter("gossip.topic.lagged",
        "events dropped for subscribers that fell behind", byTopic, topic, t -> t.lagged()));
    meters.add(statsCounter("gossip.topic.delivered", "broadcasts delivered", byTopic, topic,
        PlumTreeStats::delivered));
    meters.add(statsCounter("gossip.topic.delivered.late",
        "broadcasts delivered late, fetched by catch-up", byTopic, topic,
        PlumTreeStats::deliveredLate));
    meters.add(statsCounter("gossip.topic.duplicates", "payloads received again", byTopic, topic,
        PlumTreeStats::duplicates));
    meters.add(statsCounter("gossip.topic.grafts", "GRAFTs sent for missing messages", byTopic,
        topic, PlumTreeStats::graftsSent));
    meters.add(statsCounter("gossip.topic.missed", "broadcasts reported missing in gap events",
        byTopic, topic, PlumTreeStats::missedInGaps));
    meters.add(statsCounter("gossip.topic.neighbors.expelled",
        "neighbors dropped for too many invalid messages", byTopic, topic,
        PlumTreeStats::neighborsExpelled));
    String dropped = "new broadcasts dropped";
    meters.add(statsCounter("gossip.topic.dropped", dropped,
        byTopic.and("reason", "invalid_signature"), topic, PlumTreeStats::invalidSignatures));
    meters.add(statsCounter("gossip.topic.dropped", dropped,
        byTopic.and("reason", "invalid_id"), topic, PlumTreeStats::invalidIds));
    meters.add(statsCounter("gossip.topic.dropped", dropped, byTopic.and("reason", "rejected"),
        topic, PlumTreeStats::rejected));
    meters.add(statsCounter("gossip.topic.dropped", dropped, byTopic.and("reason", "ignored"),
        topic, PlumTreeStats::ignored));
    meters.add(statsCounter("gossip.topic.dropped", dropped, byTopic.and("reason", "replay"),
        topic, PlumTreeStats::replays));
    meters.add(statsCounter("gossip.topic.dropped", dropped,
        byTopic.and("reason", "not_admitted"), topic, PlumTreeStats::originsRefused));
    return meters;
  }

  private FunctionCounter statsCounter(String name, String description, Tags byTopic,
      TopicId topic, ToLongFunction<PlumTreeStats> value) {
    return topicCounter(name, description, byTopic, topic, t -> value.applyAsLong(t.broadcast()));
  }

  private FunctionCounter topicCounter(String name, String description, Tags byTopic,
      TopicId topic, ToLongFunction<GossipMetrics.TopicMetrics> value) {
    return counter(registry, name, description, null, byTopic, m -> {
      GossipMetrics.TopicMetrics t = m.topics().get(topic);
      return t == null ? 0 : value.applyAsLong(t);
    });
  }

  private Gauge topicGauge(String name, String description, Tags byTopic, TopicId topic,
      ToDoubleFunction<GossipMetrics.TopicMetrics> value) {
    return Gauge.builder(name, this, self -> {
      GossipMetrics m = snapshot();
      GossipMetrics.TopicMetrics t = m == null ? null : m.topics().get(topic);
      return t == null ? 0 : value.applyAsDouble(t);
    }).description(description).tags(byTopic).register(registry);
  }

  private FunctionCounter counter(MeterRegistry registry, String name, String description,
      String unit, Tags meterTags, ToLongFunction<GossipMetrics> value) {
    // Micrometer holds a function meter's object weakly and its function strongly: the object
    // is this binder, which the functions hold too, and which holds the node weakly.
    return FunctionCounter.builder(name, this, self -> {
      GossipMetrics m = snapshot();
      return m == null ? 0 : value.applyAsLong(m);
    }).description(description).baseUnit(unit).tags(meterTags).register(registry);
  }
}
