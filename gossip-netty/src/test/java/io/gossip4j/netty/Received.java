package io.gossip4j.netty;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** A listener that records every Received event's text, for counting deliveries in tests. */
class Received implements Consumer<GossipEvent> {
  final List<GossipEvent.Received> events = new CopyOnWriteArrayList<>();
  final Map<String, Integer> counts = new ConcurrentHashMap<>();
  final List<GossipEvent> all = new CopyOnWriteArrayList<>();

  @Override
  public void accept(GossipEvent event) {
    all.add(event);
    if (event instanceof GossipEvent.Received r) {
      events.add(r);
      counts.merge(new String(r.payload(), StandardCharsets.UTF_8), 1, Integer::sum);
    }
  }

  int count(String text) {
    return counts.getOrDefault(text, 0);
  }
}
