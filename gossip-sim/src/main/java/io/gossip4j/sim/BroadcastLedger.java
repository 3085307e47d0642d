package io.gossip4j.sim;

import io.gossip4j.proto.Input;
import io.gossip4j.proto.Output;
import io.gossip4j.proto.TopicEvent;
import io.gossip4j.wire.BroadcastMessage.Graft;
import io.gossip4j.wire.BroadcastMessage.IHave;
import io.gossip4j.wire.BroadcastMessage.Prune;
import io.gossip4j.wire.BroadcastMessage;
import io.gossip4j.wire.BroadcastMessage.Push;
import io.gossip4j.wire.Frame;
import io.gossip4j.wire.Message;
import io.gossip4j.wire.WireCodec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

/**
 * Exact accounting of a simulation's broadcasts, fed by the {@link Network}'s observer hooks:
 * per broadcast, who delivered it, after how many hops and how long, and how many payload copies
 * were sent and received; per message kind, every message sent and its size in bytes as the
 * real {@link WireCodec} encodes it. Each payload carries its broadcast's index in its first
 * four bytes, which is how a delivery or a GOSSIP is matched to its broadcast.
 *
 * <p>It also knows when each node joined and crashed, to tell which nodes a broadcast should
 * have reached: those that joined before it was sent and did not crash within {@code settle}
 * after, the origin excepted.
 */
public final class BroadcastLedger implements Network.Observer {

  /** Message kinds counted apart. */
  public enum Kind {
    GOSSIP,
    IHAVE,
    GRAFT,
    PRUNE,
    TREE,
    SYNC,
    MEMBERSHIP
  }

  /** Messages and bytes sent so far, per {@link Kind}; subtract two to get a phase's traffic. */
  public record Traffic(long[] messages, long[] bytes) {
    /** What was sent between {@code earlier} and this one. */
    public Traffic minus(Traffic earlier) {
      long[] m = messages.clone();
      long[] b = bytes.clone();
      for (int i = 0; i < m.length; i++) {
        m[i] -= earlier.messages[i];
        b[i] -= earlier.bytes[i];
      }
      return new Traffic(m, b);
    }

    public long messages(Kind kind) {
      return messages[kind.ordinal()];
    }

    public long bytes(Kind kind) {
      return bytes[kind.ordinal()];
    }

    /** IHAVE, GRAFT, PRUNE, TREE and SYNC: PlumTree's messages that carry no payload. */
    public long controlMessages() {
      return messages(Kind.IHAVE) + messages(Kind.GRAFT) + messages(Kind.PRUNE)
          + messages(Kind.TREE) + messages(Kind.SYNC);
    }

    /** Bytes of every PlumTree message: payloads and control. */
    public long broadcastBytes() {
      return bytes(Kind.GOSSIP) + bytes(Kind.IHAVE) + bytes(Kind.GRAFT) + bytes(Kind.PRUNE)
          + bytes(Kind.TREE) + bytes(Kind.SYNC);
    }
  }

  /** One broadcast, as sent. */
  private record Entry(int origin, long sentAt) {}

  /** What one worker's nodes did with one broadcast. */
  private static final class Part {
    final BitSet delivered = new BitSet();
    final IntList latencyMicros = new IntList();
    int maxHops;
    int payloadSent;
    int payloadReceived;
    /** Deliveries that catch-up made (marked late): not in the latencies nor the hops. */
    int lateDeliveries;
    long lastDeliveredAt;
  }

  /**
   * What one worker's nodes did, made on that worker's thread when it first reports and only
   * written by it: counters of two threads side by side in memory would share cache lines, and
   * each write of one would stall the other.
   */
  private static final class Shard {
    final long[] messages = new long[Kind.values().length];
    final long[] bytes = new long[Kind.values().length];
    /** Per broadcast index, made as they are first touched. */
    final List<Part> parts = new ArrayList<>();
    /** Broadcasts nodes reported missed for good (gap events). */
    long missedInGaps;
    /** The last message sized: PlumTree sends one GOSSIP instance to several peers. */
    Message lastSized;
    int lastSize;

    Part part(int broadcast) {
      while (parts.size() <= broadcast) {
        parts.add(new Part());
      }
      return parts.get(broadcast);
    }
  }

  private final Network network;
  private final long settleNanos;
  private final List<Entry> entries = new ArrayList<>();
  /** Per network worker, null until it first reports. */
  private final Shard[] shards;
  private long[] joinedAt = new long[16];
  private long[] crashedAt = new long[16];

  BroadcastLedger(Network network, long settleNanos) {
    this.network = network;
    this.settleNanos = settleNanos;
    this.shards = new Shard[network.workers()];
  }

  // ---- what the simulation tells it ------------------------------------------------------

  void nodeJoined(int node, long now) {
    if (node >= joinedAt.length) {
      int length = Math.max(node + 1, joinedAt.length * 2);
      joinedAt = Arrays.copyOf(joinedAt, length);
      crashedAt = Arrays.copyOf(crashedAt, length);
    }
    joinedAt[node] = now;
    crashedAt[node] = Long.MAX_VALUE;
  }

  void nodeCrashed(int node, long now) {
    crashedAt[node] = now;
  }

  /** Opens the next broadcast's entry; returns the payload that identifies it. */
  byte[] open(int origin, long now, int payloadBytes) {
    int index = entries.size();
    entries.add(new Entry(origin, now));
    byte[] payload = new byte[payloadBytes];
    payload[0] = (byte) (index >>> 24);
    payload[1] = (byte) (index >>> 16);
    payload[2] = (byte) (index >>> 8);
    payload[3] = (byte) index;
    return payload;
  }

  // ---- observer hooks --------------------------------------------------------------------

  @Override
  public void onOutput(int node, Output output, long nowNanos) {
    if (output instanceof Output.Send send) {
      Shard c = shard(node);
      Message message = send.message();
      int kind = kindOf(message).ordinal();
      c.messages[kind]++;
      if (kind == Kind.MEMBERSHIP.ordinal()) {
        return; // counted, not sized: only broadcast bytes are reported
      }
      if (message != c.lastSized) {
        c.lastSized = message;
        c.lastSize = WireCodec.encodedSize(new Frame(send.topic(), message));
      }
      c.bytes[kind] += c.lastSize;
      if (message instanceof Push g) {
        c.part(indexOf(g.payload())).payloadSent++;
      }
    } else if (output instanceof Output.Emit emit && emit.event() instanceof TopicEvent.Gap g) {
      shard(node).missedInGaps += g.missed();
    } else if (output instanceof Output.Emit emit && emit.event() instanceof TopicEvent.Received r) {
      int broadcast = indexOf(r.payload());
      Part part = shard(node).part(broadcast);
      if (!part.delivered.get(node)) {
        part.delivered.set(node);
        part.lastDeliveredAt = Math.max(part.lastDeliveredAt, nowNanos);
        if (r.late()) {
          part.lateDeliveries++;
        } else {
          part.maxHops = Math.max(part.maxHops, r.hops());
          part.latencyMicros.add((int) ((nowNanos - entries.get(broadcast).sentAt()) / 1_000));
        }
      }
    }
  }

  @Override
  public void onReceived(int node, Input.Received received, long nowNanos) {
    if (received.message() instanceof Push g) {
      shard(node).part(indexOf(g.payload())).payloadReceived++;
    }
  }

  /** The shard of the node's worker, made on first use by that worker's thread. */
  private Shard shard(int node) {
    int worker = network.workerOf(node);
    Shard shard = shards[worker];
    if (shard == null) {
      shard = new Shard();
      shards[worker] = shard;
    }
    return shard;
  }

  /** The broadcast's index, from the first four bytes of its payload. */
  private static int indexOf(byte[] payload) {
    return (payload[0] & 0xff) << 24 | (payload[1] & 0xff) << 16
        | (payload[2] & 0xff) << 8 | (payload[3] & 0xff);
  }

  /** The parts of broadcast {@code index} that workers made. */
  private List<Part> partsOf(int index) {
    List<Part> parts = new ArrayList<>(shards.length);
    for (Shard shard : shards) {
      if (shard != null && shard.parts.size() > index) {
        parts.add(shard.parts.get(index));
      }
    }
    return parts;
  }

  private static Kind kindOf(Message message) {
    if (message instanceof Push) {
      return Kind.GOSSIP;
    } else if (message instanceof IHave) {
      return Kind.IHAVE;
    } else if (message instanceof Graft) {
      return Kind.GRAFT;
    } else if (message instanceof Prune) {
      return Kind.PRUNE;
    } else if (message instanceof BroadcastMessage.Tree) {
      return Kind.TREE;
    } else if (message instanceof BroadcastMessage.Sync
        || message instanceof BroadcastMessage.Want) {
      return Kind.SYNC;
    }
    return Kind.MEMBERSHIP;
  }

  // ---- results ---------------------------------------------------------------------------

  /** Broadcasts opened so far. */
  public int size() {
    return entries.size();
  }

  /** Messages and bytes sent so far. */
  /** Broadcasts that nodes reported missed for good in gap events so far, summed over nodes. */
  public long missedInGaps() {
    long sum = 0;
    for (Shard c : shards) {
      if (c != null) {
        sum += c.missedInGaps;
      }
    }
    return sum;
  }

  public Traffic traffic() {
    long[] messages = new long[Kind.values().length];
    long[] bytes = new long[Kind.values().length];
    for (Shard c : shards) {
      if (c == null) {
        continue;
      }
      for (int k = 0; k < messages.length; k++) {
        messages[k] += c.messages[k];
        bytes[k] += c.bytes[k];
      }
    }
    return new Traffic(messages, bytes);
  }

  /** When broadcast {@code index} was sent, in virtual nanoseconds. */
  public long sentAt(int index) {
    return entries.get(index).sentAt();
  }

  /**
   * The measures of broadcast {@code index}: reliability over the nodes it should have reached,
   * RMR = m / (n - 1) - 1 with m payload copies received and n nodes holding it (the deliveries
   * and the origin), LDH = the largest hop count of a delivery.
   */
  public BroadcastStats stats(int index) {
    Entry e = entries.get(index);
    BitSet delivered = new BitSet();
    int maxHops = 0;
    int payloadSent = 0;
    int payloadReceived = 0;
    int late = 0;
    long lastDeliveredAt = 0;
    for (Part part : partsOf(index)) {
      delivered.or(part.delivered);
      maxHops = Math.max(maxHops, part.maxHops);
      payloadSent += part.payloadSent;
      payloadReceived += part.payloadReceived;
      late += part.lateDeliveries;
      lastDeliveredAt = Math.max(lastDeliveredAt, part.lastDeliveredAt);
    }
    int expected = 0;
    int reached = 0;
    for (int node = 0; node < network.size(); node++) {
      if (node != e.origin()
          && joinedAt[node] <= e.sentAt()
          && crashedAt[node] - settleNanos >= e.sentAt()) {
        expected++;
        if (delivered.get(node)) {
          reached++;
        }
      }
    }
    int deliveries = delivered.cardinality();
    double rmr = deliveries == 0 ? 0 : (double) payloadReceived / deliveries - 1;
    return new BroadcastStats(
        index,
        e.origin(),
        e.sentAt(),
        expected == 0 ? 1 : (double) reached / expected,
        rmr,
        maxHops,
        deliveries,
        expected,
        payloadSent,
        payloadReceived,
        late,
        lastDeliveredAt);
  }

  /** The delivery latencies of broadcasts {@code from} (inclusive) to {@code to}, sorted, µs. */
  public int[] latenciesMicros(int from, int to) {
    int total = 0;
    for (int i = from; i < to; i++) {
      for (Part part : partsOf(i)) {
        total += part.latencyMicros.size();
      }
    }
    int[] all = new int[total];
    int offset = 0;
    for (int i = from; i < to; i++) {
      for (Part part : partsOf(i)) {
        offset = part.latencyMicros.copyTo(all, offset);
      }
    }
    Arrays.sort(all);
    return all;
  }
}
