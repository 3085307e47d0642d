package io.gossip4j.sim;

import io.gossip4j.NodeId;
import io.gossip4j.proto.Event;
import io.gossip4j.proto.Input;
import io.gossip4j.proto.Output;
import io.gossip4j.wire.BroadcastMessage.Gossip;
import io.gossip4j.wire.BroadcastMessage.Graft;
import io.gossip4j.wire.BroadcastMessage.IHave;
import io.gossip4j.wire.BroadcastMessage.Prune;
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

    /** IHAVE, GRAFT and PRUNE: PlumTree's messages that carry no payload. */
    public long controlMessages() {
      return messages(Kind.IHAVE) + messages(Kind.GRAFT) + messages(Kind.PRUNE);
    }

    /** Bytes of every PlumTree message: payloads and control. */
    public long broadcastBytes() {
      return bytes(Kind.GOSSIP) + bytes(Kind.IHAVE) + bytes(Kind.GRAFT) + bytes(Kind.PRUNE);
    }
  }

  /** One broadcast as it spreads. */
  private static final class Entry {
    final int origin;
    final long sentAt;
    final BitSet delivered = new BitSet();
    final IntList latencyMicros = new IntList();
    int maxHops;
    int payloadSent;
    int payloadReceived;

    Entry(int origin, long sentAt) {
      this.origin = origin;
      this.sentAt = sentAt;
    }
  }

  private final Network network;
  private final long settleNanos;
  private final List<Entry> entries = new ArrayList<>();
  private final long[] messages = new long[Kind.values().length];
  private final long[] bytes = new long[Kind.values().length];
  private long[] joinedAt = new long[16];
  private long[] crashedAt = new long[16];
  /** The last message sized: PlumTree sends one GOSSIP instance to several peers. */
  private Message lastSized;
  private int lastSize;

  BroadcastLedger(Network network, long settleNanos) {
    this.network = network;
    this.settleNanos = settleNanos;
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
  public void onOutput(NodeId node, Output output, long nowNanos) {
    if (output instanceof Output.Send send) {
      Message message = send.message();
      int kind = kindOf(message).ordinal();
      messages[kind]++;
      if (kind == Kind.MEMBERSHIP.ordinal()) {
        return; // counted, not sized: only broadcast bytes are reported
      }
      if (message != lastSized) {
        lastSized = message;
        lastSize = WireCodec.encodedSize(new Frame(send.topic(), message));
      }
      bytes[kind] += lastSize;
      if (message instanceof Gossip g) {
        entryOf(g.payload()).payloadSent++;
      }
    } else if (output instanceof Output.Emit emit && emit.event() instanceof Event.Received r) {
      Entry entry = entryOf(r.payload());
      int index = network.indexOf(node);
      if (!entry.delivered.get(index)) {
        entry.delivered.set(index);
        entry.maxHops = Math.max(entry.maxHops, r.hops());
        entry.latencyMicros.add((int) ((nowNanos - entry.sentAt) / 1_000));
      }
    }
  }

  @Override
  public void onReceived(NodeId node, Input.Received received, long nowNanos) {
    if (received.message() instanceof Gossip g) {
      entryOf(g.payload()).payloadReceived++;
    }
  }

  private Entry entryOf(byte[] payload) {
    int index = (payload[0] & 0xff) << 24 | (payload[1] & 0xff) << 16
        | (payload[2] & 0xff) << 8 | (payload[3] & 0xff);
    return entries.get(index);
  }

  private static Kind kindOf(Message message) {
    if (message instanceof Gossip) {
      return Kind.GOSSIP;
    } else if (message instanceof IHave) {
      return Kind.IHAVE;
    } else if (message instanceof Graft) {
      return Kind.GRAFT;
    } else if (message instanceof Prune) {
      return Kind.PRUNE;
    }
    return Kind.MEMBERSHIP;
  }

  // ---- results ---------------------------------------------------------------------------

  /** Broadcasts opened so far. */
  public int size() {
    return entries.size();
  }

  /** Messages and bytes sent so far. */
  public Traffic traffic() {
    return new Traffic(messages.clone(), bytes.clone());
  }

  /** When broadcast {@code index} was sent, in virtual nanoseconds. */
  public long sentAt(int index) {
    return entries.get(index).sentAt;
  }

  /**
   * The measures of broadcast {@code index}: reliability over the nodes it should have reached,
   * RMR = m / (n - 1) - 1 with m payload copies received and n nodes holding it (the deliveries
   * and the origin), LDH = the largest hop count of a delivery.
   */
  public BroadcastStats stats(int index) {
    Entry e = entries.get(index);
    int expected = 0;
    int reached = 0;
    for (int node = 0; node < network.size(); node++) {
      if (node != e.origin
          && joinedAt[node] <= e.sentAt
          && crashedAt[node] - settleNanos >= e.sentAt) {
        expected++;
        if (e.delivered.get(node)) {
          reached++;
        }
      }
    }
    int deliveries = e.delivered.cardinality();
    double rmr = deliveries == 0 ? 0 : (double) e.payloadReceived / deliveries - 1;
    return new BroadcastStats(
        index,
        e.origin,
        e.sentAt,
        expected == 0 ? 1 : (double) reached / expected,
        rmr,
        e.maxHops,
        deliveries,
        expected,
        e.payloadSent,
        e.payloadReceived);
  }

  /** The delivery latencies of broadcasts {@code from} (inclusive) to {@code to}, sorted, µs. */
  public int[] latenciesMicros(int from, int to) {
    int total = 0;
    for (int i = from; i < to; i++) {
      total += entries.get(i).latencyMicros.size();
    }
    int[] all = new int[total];
    int offset = 0;
    for (int i = from; i < to; i++) {
      offset = entries.get(i).latencyMicros.copyTo(all, offset);
    }
    Arrays.sort(all);
    return all;
  }
}
