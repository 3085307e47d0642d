package io.gossip4j.plumtree;

import static org.assertj.core.api.Assertions.assertThat;

import io.gossip4j.NodeId;
import java.util.List;
import org.junit.jupiter.api.Test;

class OriginGapsTest {
  private static final NodeId X = node(1);
  private static final NodeId Y = node(2);

  private static NodeId node(int n) {
    byte[] bytes = new byte[32];
    bytes[0] = (byte) (n >>> 8);
    bytes[1] = (byte) n;
    return NodeId.of(bytes);
  }

  private final OriginGaps gaps = new OriginGaps();

  private void arrive(NodeId origin, long from, long to) {
    for (long n = from; n < to; n++) {
      assertThat(gaps.arrived(origin, n, 0)).isNull();
    }
  }

  private List<OriginGaps.Gap> checks(int count) {
    List<OriginGaps.Gap> all = new java.util.ArrayList<>();
    for (int i = 0; i < count; i++) {
      all.addAll(gaps.check());
    }
    return all;
  }

  @Test
  void consecutiveNoncesLeaveNoHoles() {
    arrive(X, Long.MAX_VALUE - 5, Long.MAX_VALUE);
    arrive(X, Long.MAX_VALUE, Long.MAX_VALUE); // empty
    gaps.arrived(X, Long.MAX_VALUE, 0);
    gaps.arrived(X, Long.MIN_VALUE, 0); // the count wraps like any other step
    assertThat(gaps.hasHoles()).isFalse();
    assertThat(checks(5)).isEmpty();
  }

  @Test
  void aHoleFilledBeforeTheChecksRunOutIsNoGap() {
    arrive(X, 0, 10);
    arrive(X, 15, 20); // 10..14 missing
    assertThat(gaps.hasHoles()).isTrue();
    assertThat(gaps.check()).isEmpty();
    arrive(X, 10, 15); // catch-up brings them, in any order
    assertThat(gaps.hasHoles()).isFalse();
    assertThat(checks(5)).isEmpty();
  }

  @Test
  void aHoleStillOpenAfterTheChecksIsReportedOnceWithItsSize() {
    arrive(X, 100, 110);
    arrive(X, 200, 210); // 110..199 missing: 90
    gaps.arrived(X, 150, 0); // one of them came
    assertThat(OriginGaps.CHECKS).isEqualTo(2);
    assertThat(gaps.check()).isEmpty(); // the hole is newer than the marks so far
    assertThat(gaps.check()).isEmpty(); // known missing for one check only
    assertThat(gaps.check()).containsExactly(new OriginGaps.Gap(X, 89));
    assertThat(checks(5)).isEmpty();
    assertThat(gaps.hasHoles()).isFalse();
    // A straggler of the reported gap is no new gap, nor does it open one.
    assertThat(gaps.arrived(X, 120, 0)).isNull();
    assertThat(gaps.hasHoles()).isFalse();
  }

  @Test
  void onlyTheHolesOldEnoughAreReported() {
    arrive(X, 0, 5);
    arrive(X, 6, 7); // 5 missing
    gaps.check();
    gaps.check();
    arrive(X, 8, 9); // 7 missing, newer
    assertThat(gaps.check()).containsExactly(new OriginGaps.Gap(X, 1));
    assertThat(gaps.hasHoles()).isTrue();
    assertThat(gaps.check()).isEmpty();
    assertThat(gaps.check()).containsExactly(new OriginGaps.Gap(X, 1));
  }

  @Test
  void aLongJumpIsARestartedOriginNotAGap() {
    arrive(X, 0, 10);
    gaps.arrived(X, 10 + OriginGaps.MAX_JUMP + 1, 0);
    assertThat(gaps.hasHoles()).isFalse();
    gaps.arrived(X, -5_000_000_000L, 0); // and back, far below
    assertThat(gaps.hasHoles()).isFalse();
    assertThat(checks(4)).isEmpty();
  }

  @Test
  void aSpanBeyondItsBoundGivesUpTheOldestAtOnce() {
    arrive(X, 0, 1);
    // 1..MAX_SPAN+9 missing, then one arrives MAX_SPAN + 10 ahead.
    OriginGaps.Gap gap = gaps.arrived(X, OriginGaps.MAX_SPAN + 10, 0);
    assertThat(gap).isEqualTo(new OriginGaps.Gap(X, 10));
    // What is left is within the span, and reported after the checks.
    assertThat(checks(3)).containsExactly(new OriginGaps.Gap(X, OriginGaps.MAX_SPAN - 1));
  }

  @Test
  void originsAreTrackedApartAndBounded() {
    arrive(X, 0, 3);
    arrive(Y, 0, 1);
    arrive(Y, 3, 4);
    assertThat(checks(3)).containsExactly(new OriginGaps.Gap(Y, 2));
    for (int i = 0; i < OriginGaps.MAX_ORIGINS + 100; i++) {
      gaps.arrived(node(i + 10), 0, 0);
    }
    assertThat(gaps.origins()).isEqualTo(OriginGaps.MAX_ORIGINS);
  }

  @Test
  void aHoleIsStaleOnlyOnceItOutlivedOneLook() {
    arrive(X, 0, 6);
    gaps.arrived(X, 7, 0); // 6 missing
    assertThat(gaps.staleHoles()).isFalse(); // new since the last look
    assertThat(gaps.staleHoles()).isTrue();
    gaps.arrived(X, 6, 0);
    assertThat(gaps.staleHoles()).isFalse();
    gaps.arrived(X, 9, 0); // 8 missing, new again
    assertThat(gaps.staleHoles()).isFalse();
  }
}
