package io.gossip4j.plumtree;

import io.gossip4j.NodeId;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which broadcasts of each origin never reached us. An origin numbers its swarm broadcasts one
 * after another (its nonces), so a nonce skipped is a message missed. A skipped nonce is not
 * missed yet: a graft or catch-up may still bring it. One that stays missing through {@link
 * #CHECKS} checks (spaced {@code gapTimeout / CHECKS}) is reported once as part of a gap and
 * forgotten: the message is older than anything the swarm still holds for us.
 *
 * <p>Bounded: at most {@value #MAX_ORIGINS} origins (the least recently heard is forgotten),
 * each with at most {@value #MAX_SPAN} nonces between its oldest missing one and its newest.
 * A jump of more than {@value #MAX_JUMP} nonces is taken for a restarted origin (it starts at a
 * random nonce), not a gap. A hostile origin can only make up gaps in its own messages.
 */
final class OriginGaps {
  /** Checks a missing nonce must stay missing through before it is reported. */
  static final int CHECKS = 2;
  static final int MAX_ORIGINS = 4096;
  static final int MAX_SPAN = 1 << 16;
  static final long MAX_JUMP = 1 << 20;

  /** A gap reported: {@code missed} messages of {@code origin} that will not come. */
  record Gap(NodeId origin, long missed) {}

  /** One origin: every nonce below {@code base} is accounted for. */
  private static final class Track {
    long base;
    long highest;
    /** Bit i: nonce base + i arrived. */
    BitSet received = new BitSet();
    /** {@code highest} at the last {@link #CHECKS} checks, oldest first. */
    final long[] marks = new long[CHECKS];
    /** {@code highest} at the last {@link #staleHoles} call. */
    long staleMark;
    /** When the first message of the origin came. */
    final long since;

    Track(long nonce, long nowNanos) {
      since = nowNanos;
      base = nonce + 1;
      highest = nonce;
      staleMark = nonce;
      java.util.Arrays.fill(marks, nonce);
    }

    boolean hasHoles() {
      return highest - base >= 0;
    }

    /** Moves {@code base} up to {@code newBase}, dropping the bits below it. */
    void advance(long newBase) {
      int by = (int) (newBase - base);
      received = received.get(by, Math.max(by, received.length()));
      base = newBase;
    }

    /** Drops the arrived nonces at the bottom. */
    void compact() {
      int arrived = received.nextClearBit(0);
      if (arrived > 0) {
        advance(base + Math.min(arrived, highest - base + 1));
      }
    }
  }

  private final Map<NodeId, Track> tracks = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<NodeId, Track> eldest) {
      if (size() > MAX_ORIGINS) {
        if (eldest.getValue().hasHoles()) {
          holed--;
        }
        return true;
      }
      return false;
    }
  };
  /** Tracks with a nonce missing: asked after every message, so counted, not searched. */
  private int holed;

  /**
   * Nonce {@code nonce} of {@code origin} arrived at {@code nowNanos}. Returns a gap when the
   * origin's span grew past {@link #MAX_SPAN} and its oldest missing nonces had to be given
   * up; else null.
   */
  Gap arrived(NodeId origin, long nonce, long nowNanos) {
    Track t = tracks.get(origin);
    if (t == null) {
      tracks.put(origin, new Track(nonce, nowNanos));
      return null;
    }
    boolean had = t.hasHoles();
    Gap gap = update(origin, t, nonce, nowNanos);
    Track now = tracks.get(origin);
    holed += (now != null && now.hasHoles() ? 1 : 0) - (had ? 1 : 0);
    return gap;
  }

  private Gap update(NodeId origin, Track t, long nonce, long nowNanos) {
    long ahead = nonce - t.highest;
    if (ahead > MAX_JUMP || ahead < -MAX_SPAN - MAX_JUMP) {
      tracks.put(origin, new Track(nonce, nowNanos)); // restarted with a new random nonce
      return null;
    }
    long offset = nonce - t.base;
    if (offset < 0) {
      return null; // older than what we track: accounted for already
    }
    if (ahead > 0) {
      t.highest = nonce;
    }
    Gap gap = null;
    if (t.highest - t.base >= MAX_SPAN) {
      long newBase = t.highest - MAX_SPAN + 1;
      long missed = (newBase - t.base) - t.received.get(0, (int) (newBase - t.base)).cardinality();
      t.advance(newBase);
      gap = missed > 0 ? new Gap(origin, missed) : null;
      offset = nonce - t.base;
    }
    if (offset >= 0) {
      t.received.set((int) offset);
    }
    t.compact();
    return gap;
  }

  /**
   * Whether nonce {@code nonce} of {@code origin} is accounted for: it arrived, or was reported
   * in a gap, longer ago than we remember ids. True only for an origin first heard more than
   * {@code youngNanos} ago: a node that has just met the origin takes older messages as
   * history, not as ones it had.
   */
  boolean accountedFor(NodeId origin, long nonce, long nowNanos, long youngNanos) {
    Track t = tracks.get(origin);
    if (t == null || nowNanos - t.since < youngNanos) {
      return false;
    }
    long below = t.base - nonce;
    return below > 0 && below <= MAX_JUMP;
  }

  /** Origins tracked now. */
  int origins() {
    return tracks.size();
  }

  /** Whether any origin has a nonce missing: only then are checks needed. */
  boolean hasHoles() {
    return holed > 0;
  }

  /**
   * Whether a nonce that was already missing at the previous call is missing still: a message
   * that neither its tree nor a graft brought, worth a reconciliation.
   */
  boolean staleHoles() {
    if (holed == 0) {
      return false;
    }
    boolean stale = false;
    for (Track t : tracks.values()) {
      if (t.hasHoles() && t.staleMark - t.base >= 0) {
        stale = true;
      }
      t.staleMark = t.highest;
    }
    return stale;
  }

  /**
   * A periodic check: reports the nonces that were already behind an origin's newest at the
   * check {@link #CHECKS} checks ago and are still missing.
   */
  List<Gap> check() {
    List<Gap> gaps = new ArrayList<>();
    if (holed == 0) {
      return gaps; // marks of origins without holes need not move: a new hole waits its checks
    }
    for (Map.Entry<NodeId, Track> e : tracks.entrySet()) {
      Track t = e.getValue();
      long oldMark = t.marks[0];
      System.arraycopy(t.marks, 1, t.marks, 0, CHECKS - 1);
      t.marks[CHECKS - 1] = t.highest;
      if (!t.hasHoles() || oldMark - t.base < 0) {
        continue;
      }
      long newBase = Math.min(oldMark, t.highest) + 1;
      int span = (int) (newBase - t.base);
      long missed = span - t.received.get(0, span).cardinality();
      t.advance(newBase);
      t.compact();
      if (!t.hasHoles()) {
        holed--;
      }
      if (missed > 0) {
        gaps.add(new Gap(e.getKey(), missed));
      }
    }
    return gaps;
  }
}
