package io.gossip4j.plumtree;

import io.gossip4j.Id32;
import io.gossip4j.MessageId;
import io.gossip4j.wire.SyncRange;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Catch-up's range-based set reconciliation (after Meyer's "Range-Based Set Reconciliation" and
 * Negentropy), over one side's ids in ascending order. Two new neighbors exchange SYNCs: each
 * range says what its sender holds there (a fingerprint and a count, or every id when few, or
 * the ids the receiver lacks); a receiver answers each range it disagrees with by splitting it
 * into {@value #BUCKETS} fingerprinted ranges of its own ids, or by listing its ids once there
 * are at most {@value #IDS_AT_MOST}. Ranges the two agree on are skipped, so the exchange costs
 * in proportion to the difference: two sides in sync trade one fingerprint each way. Each side
 * learns the ids the other holds and it lacks; it pulls those with a WANT.
 *
 * <p>A fingerprint is the first 16 bytes of SHA-256 over the sum of the range's ids (as 256-bit
 * big-endian numbers, modulo 2^256) and their count. Ids are SHA-256 digests of a message's
 * content computed by every receiver, so nobody chooses them freely.
 *
 * <p>Immutable: one instance answers every SYNC until the set changes.
 */
final class Reconciliation {
  /** Ranges a disagreeing range is split into. */
  static final int BUCKETS = 16;
  /** A range with at most this many of our ids is answered with the ids themselves. */
  static final int IDS_AT_MOST = 16;

  /** Bytes of a SYNC besides its ranges: type, topic, kind, range count (varint). */
  private static final int SYNC_OVERHEAD = 1 + Id32.LENGTH + 1 + 5;
  /** Most bytes of a range besides its ids: bound length, bound, mode, count. */
  private static final int RANGE_OVERHEAD = 1 + Id32.LENGTH + 1 + 5;

  /** What one SYNC asks of us: our answer's ranges (empty: nothing to say), and ids to pull. */
  record Answer(List<SyncRange> reply, List<MessageId> wanted) {}

  private final MessageId[] ids;
  /** The ids as 256-bit numbers, four big-endian longs each, for the fingerprints' sums. */
  private final long[] words;

  /** Over these ids, which must be distinct; sorted here. */
  Reconciliation(List<MessageId> set) {
    this.ids = set.toArray(new MessageId[0]);
    Arrays.sort(ids);
    this.words = new long[ids.length * 4];
    for (int i = 0; i < ids.length; i++) {
      ByteBuffer bytes = ByteBuffer.wrap(ids[i].toBytes());
      for (int w = 0; w < 4; w++) {
        words[i * 4 + w] = bytes.getLong();
      }
    }
  }

  int size() {
    return ids.length;
  }

  /** The first SYNC's ranges: our whole set as one fingerprint, or as its ids when few. */
  List<SyncRange> opening() {
    return List.of(describe(0, ids.length, SyncRange.end()));
  }

  /**
   * Our answer to a SYNC's ranges. {@code known} says which of the ids the peer has and we
   * lack we already have elsewhere (seen, or on the way): those are not pulled.
   */
  Answer answer(List<SyncRange> ranges, Predicate<MessageId> known) {
    List<SyncRange> reply = new ArrayList<>();
    List<MessageId> wanted = new ArrayList<>();
    int lower = 0;
    boolean saysSomething = false;
    for (SyncRange range : ranges) {
      int upper = indexOf(range.upper());
      upper = Math.max(upper, lower); // a bound below the previous one covers nothing
      if (range instanceof SyncRange.Skip) {
        reply.add(new SyncRange.Skip(range.upper()));
      } else if (range instanceof SyncRange.Fingerprint f) {
        if (f.count() == upper - lower && Arrays.equals(f.fingerprint(), fingerprint(lower, upper))) {
          reply.add(new SyncRange.Skip(range.upper()));
        } else if (upper - lower <= IDS_AT_MOST) {
          reply.add(new SyncRange.Ids(range.upper(), slice(lower, upper)));
          saysSomething = true;
        } else {
          split(lower, upper, range.upper(), reply);
          saysSomething = true;
        }
      } else if (range instanceof SyncRange.Ids theirs) {
        Set<MessageId> listed = new HashSet<>(theirs.ids());
        List<MessageId> offer = new ArrayList<>();
        for (int i = lower; i < upper; i++) {
          if (!listed.remove(ids[i])) {
            offer.add(ids[i]);
          }
        }
        // What is left of their list is what we do not hold: ours to pull.
        for (MessageId id : theirs.ids()) {
          if (listed.contains(id) && !known.test(id)) {
            wanted.add(id);
          }
        }
        if (offer.isEmpty()) {
          reply.add(new SyncRange.Skip(range.upper()));
        } else {
          reply.add(new SyncRange.Offer(range.upper(), offer));
          saysSomething = true;
        }
      } else if (range instanceof SyncRange.Offer offered) {
        for (MessageId id : offered.ids()) {
          if (!known.test(id)) {
            wanted.add(id);
          }
        }
        reply.add(new SyncRange.Skip(range.upper()));
      }
      lower = upper;
    }
    return new Answer(saysSomething ? mergeSkips(reply) : List.of(), wanted);
  }

  /**
   * Splits {@code ranges} into SYNC messages of at most {@code maxFrameSize} bytes each, every
   * one covering the whole id space (the parts other frames carry are skipped), and cuts offers
   * too long for one frame into several ranges.
   */
  static List<List<SyncRange>> frames(List<SyncRange> ranges, int maxFrameSize) {
    int budget = maxFrameSize - SYNC_OVERHEAD - 2 * RANGE_OVERHEAD;
    int idsPerRange = Math.max(1, (budget - RANGE_OVERHEAD) / Id32.LENGTH);
    List<List<SyncRange>> frames = new ArrayList<>();
    List<SyncRange> frame = new ArrayList<>();
    int size = 0;
    byte[] previousBound = null;
    for (SyncRange range : cutOffers(ranges, idsPerRange)) {
      int rangeSize = sizeOf(range);
      if (!frame.isEmpty() && size + rangeSize > budget) {
        previousBound = frame.get(frame.size() - 1).upper();
        frames.add(close(frame));
        frame = new ArrayList<>();
        size = 0;
      }
      if (frame.isEmpty() && previousBound != null) {
        frame.add(new SyncRange.Skip(previousBound));
      }
      frame.add(range);
      size += rangeSize;
    }
    if (!frame.isEmpty()) {
      frames.add(close(frame));
    }
    return frames;
  }

  // ---- ranges -----------------------------------------------------------------------------

  /** Our ids in [lower, upper) in one range ending at {@code bound}: listed when few. */
  private SyncRange describe(int lower, int upper, byte[] bound) {
    if (upper - lower <= IDS_AT_MOST) {
      return new SyncRange.Ids(bound, slice(lower, upper));
    }
    return new SyncRange.Fingerprint(bound, upper - lower, fingerprint(lower, upper));
  }

  /** Our ids in [lower, upper) as {@link #BUCKETS} fingerprinted ranges of about equal count. */
  private void split(int lower, int upper, byte[] bound, List<SyncRange> out) {
    int count = upper - lower;
    int start = lower;
    for (int b = 1; b <= BUCKETS; b++) {
      int end = lower + (int) ((long) count * b / BUCKETS);
      if (end == start) {
        continue;
      }
      byte[] bucketBound = end == upper ? bound : separator(ids[end - 1], ids[end]);
      // A fingerprint even for a few ids: most buckets agree, and a bucket's 16 ids would cost
      // 512 bytes where its fingerprint costs 16.
      out.add(new SyncRange.Fingerprint(bucketBound, end - start, fingerprint(start, end)));
      start = end;
    }
  }

  /** The shortest bound above {@code below} and at most {@code above}: a prefix of the latter. */
  static byte[] separator(Id32 below, Id32 above) {
    byte[] a = below.toBytes();
    byte[] b = above.toBytes();
    int common = Arrays.mismatch(a, b);
    return Arrays.copyOf(b, common + 1);
  }

  /** The index of our first id at or above {@code bound}. */
  private int indexOf(byte[] bound) {
    int lo = 0;
    int hi = ids.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (SyncRange.compare(ids[mid], bound) < 0) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  private List<MessageId> slice(int lower, int upper) {
    return Arrays.asList(ids).subList(lower, upper);
  }

  /** SHA-256 over the 256-bit sum of the ids in [lower, upper) and their count, 16 bytes. */
  byte[] fingerprint(int lower, int upper) {
    long w0 = 0;
    long w1 = 0;
    long w2 = 0;
    long w3 = 0;
    for (int i = lower; i < upper; i++) {
      int at = i * 4;
      // Word 3 is the lowest: add from there up, carrying.
      long s3 = w3 + words[at + 3];
      long c3 = Long.compareUnsigned(s3, w3) < 0 ? 1 : 0;
      long s2 = w2 + words[at + 2] + c3;
      long c2 = Long.compareUnsigned(s2, w2) < 0 || (c3 == 1 && s2 == w2) ? 1 : 0;
      long s1 = w1 + words[at + 1] + c2;
      long c1 = Long.compareUnsigned(s1, w1) < 0 || (c2 == 1 && s1 == w1) ? 1 : 0;
      w0 = w0 + words[at] + c1;
      w1 = s1;
      w2 = s2;
      w3 = s3;
    }
    ByteBuffer sum = ByteBuffer.allocate(4 * Long.BYTES + Integer.BYTES);
    sum.putLong(w0).putLong(w1).putLong(w2).putLong(w3).putInt(upper - lower);
    return Arrays.copyOf(sha256().digest(sum.array()), SyncRange.FINGERPRINT_LENGTH);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  /** Runs of skips become one: only the last bound of a run matters. */
  private static List<SyncRange> mergeSkips(List<SyncRange> ranges) {
    List<SyncRange> merged = new ArrayList<>(ranges.size());
    for (SyncRange range : ranges) {
      if (!merged.isEmpty() && range instanceof SyncRange.Skip
          && merged.get(merged.size() - 1) instanceof SyncRange.Skip) {
        merged.set(merged.size() - 1, range);
      } else {
        merged.add(range);
      }
    }
    return merged;
  }

  /** Offers of more than {@code most} ids become several ranges, cut between two ids. */
  private static List<SyncRange> cutOffers(List<SyncRange> ranges, int most) {
    List<SyncRange> out = new ArrayList<>(ranges.size());
    for (SyncRange range : ranges) {
      if (!(range instanceof SyncRange.Offer offer) || offer.ids().size() <= most) {
        out.add(range);
        continue;
      }
      List<MessageId> sorted = new ArrayList<>(offer.ids());
      sorted.sort(null);
      for (int from = 0; from < sorted.size(); from += most) {
        int to = Math.min(sorted.size(), from + most);
        byte[] bound = to == sorted.size() ? offer.upper()
            : separator(sorted.get(to - 1), sorted.get(to));
        out.add(new SyncRange.Offer(bound, sorted.subList(from, to)));
      }
    }
    return out;
  }

  private static int sizeOf(SyncRange range) {
    int ids = 0;
    if (range instanceof SyncRange.Ids i) {
      ids = i.ids().size();
    } else if (range instanceof SyncRange.Offer o) {
      ids = o.ids().size();
    } else if (range instanceof SyncRange.Fingerprint) {
      ids = 1; // 16 bytes of fingerprint: half an id, counted as one
    }
    return RANGE_OVERHEAD + ids * Id32.LENGTH;
  }

  /** A frame's ranges, closed by a skip to the end of the id space if they stop short of it. */
  private static List<SyncRange> close(List<SyncRange> frame) {
    if (frame.get(frame.size() - 1).upper().length != 0) {
      frame.add(new SyncRange.Skip(SyncRange.end()));
    }
    return frame;
  }
}
