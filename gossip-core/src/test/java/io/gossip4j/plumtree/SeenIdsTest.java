package io.gossip4j.plumtree;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gossip4j.MessageId;
import io.gossip4j.NodeId;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SeenIdsTest {
  private static final long TTL = 1_000;
  private static final NodeId ORIGIN = node(1);

  private static NodeId node(int n) {
    byte[] b = new byte[32];
    b[31] = (byte) n;
    b[0] = (byte) n;
    return NodeId.of(b);
  }

  private static MessageId id(Random random) {
    byte[] b = new byte[32];
    random.nextBytes(b);
    return MessageId.of(b);
  }

  private static MessageId id(int n) {
    byte[] b = new byte[32];
    b[0] = (byte) (n >>> 24);
    b[1] = (byte) (n >>> 16);
    b[2] = (byte) (n >>> 8);
    b[3] = (byte) n;
    return MessageId.of(b);
  }

  @Test
  void anIdIsSeenUntilItExpiresAndTheFirstInsertionsExpiryStands() {
    SeenIds seen = new SeenIds(TTL, 10);
    seen.putIfAbsent(id(1), ORIGIN, 0);
    seen.putIfAbsent(id(1), node(2), 500);
    assertThat(seen.get(id(1), 999)).isEqualTo(ORIGIN);
    assertThat(seen.contains(id(1), 1_000)).isFalse();
    assertThat(seen.contains(id(2), 0)).isFalse();
    seen.evictExpired(1_000);
    assertThat(seen.isEmpty()).isTrue();
  }

  @Test
  void pastTheCountBoundTheOldestIsForgotten() {
    SeenIds seen = new SeenIds(TTL, 3);
    for (int i = 0; i < 10; i++) {
      seen.putIfAbsent(id(i), ORIGIN, i);
    }
    assertThat(seen.size()).isEqualTo(3);
    for (int i = 0; i < 7; i++) {
      assertThat(seen.contains(id(i), 10)).as("id %d", i).isFalse();
    }
    for (int i = 7; i < 10; i++) {
      assertThat(seen.contains(id(i), 10)).as("id %d", i).isTrue();
    }
  }

  @Test
  void idsWithTheSameHashAreToldApartAndSurviveTheirNeighboursRemoval() {
    // Same first eight bytes: the same hash, so one long probe run in the index.
    SeenIds seen = new SeenIds(TTL, 1_000);
    MessageId[] ids = new MessageId[50];
    for (int i = 0; i < ids.length; i++) {
      byte[] b = new byte[32];
      b[31] = (byte) i;
      ids[i] = MessageId.of(b);
      seen.putIfAbsent(ids[i], ORIGIN, i);
    }
    seen.evictExpired(TTL + 24); // the first 25 expire and leave the middle of the run
    for (int i = 0; i < ids.length; i++) {
      assertThat(seen.contains(ids[i], TTL + 24)).as("id %d", i).isEqualTo(i >= 25);
    }
  }

  @Test
  void behavesLikeAnInsertionOrderedMapUnderRandomUse() {
    Random random = new Random(7);
    int bound = 300;
    SeenIds seen = new SeenIds(TTL, bound);
    Map<MessageId, Long> model = new HashMap<>();
    ArrayDeque<MessageId> order = new ArrayDeque<>();
    long now = 0;
    MessageId[] recent = new MessageId[64];
    for (int step = 0; step < 200_000; step++) {
      now += random.nextInt(3);
      int op = random.nextInt(10);
      if (op < 5) {
        MessageId id = random.nextInt(4) == 0 && recent[0] != null
            ? recent[random.nextInt(recent.length)] : id(random);
        if (id == null) {
          continue;
        }
        seen.putIfAbsent(id, ORIGIN, now);
        if (!model.containsKey(id)) {
          if (model.size() == bound) {
            model.remove(order.poll());
          }
          model.put(id, now + TTL);
          order.add(id);
        }
        recent[random.nextInt(recent.length)] = id;
      } else if (op < 9) {
        MessageId id = recent[random.nextInt(recent.length)];
        if (id != null) {
          Long expires = model.get(id);
          assertThat(seen.contains(id, now)).isEqualTo(expires != null && expires > now);
        }
      } else {
        seen.evictExpired(now);
        while (!order.isEmpty() && model.get(order.peek()) <= now) {
          model.remove(order.poll());
        }
        assertThat(seen.size()).isEqualTo(model.size());
      }
    }
  }

  @Test
  void growsFromSmallAndGivesMemoryBackWhenIdle() {
    SeenIds seen = new SeenIds(TTL, 100_000);
    Random random = new Random(3);
    MessageId[] ids = new MessageId[5_000];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = id(random);
      seen.putIfAbsent(ids[i], ORIGIN, 0);
    }
    assertThat(seen.size()).isEqualTo(ids.length);
    for (MessageId id : ids) {
      assertThat(seen.contains(id, 1)).isTrue();
    }
    seen.evictExpired(TTL);
    assertThat(seen.isEmpty()).isTrue();
    seen.putIfAbsent(ids[0], ORIGIN, TTL);
    assertThat(seen.contains(ids[0], TTL)).isTrue();
  }

  @Test
  void aBoundBelowOneIsRefused() {
    assertThatThrownBy(() -> new SeenIds(TTL, 0)).isInstanceOf(IllegalArgumentException.class);
  }
}
