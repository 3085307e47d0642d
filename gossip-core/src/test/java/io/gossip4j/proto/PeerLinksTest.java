package io.gossip4j.proto;

import static org.assertj.core.api.Assertions.assertThat;

import io.gossip4j.NodeId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PeerLinksTest {

  @Test
  void behavesAsASetThroughGrowthAndRemovalsInTheMiddleOfProbeRuns() {
    SplittableRandom rng = new SplittableRandom(5);
    List<NodeId> pool = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      byte[] bytes = new byte[32];
      rng.nextBytes(bytes);
      // Half the ids share their first eight bytes, so their hashes collide and probe runs form.
      if (i % 2 == 0) {
        bytes[0] = bytes[1] = bytes[2] = bytes[3] = bytes[4] = bytes[5] = bytes[6] = bytes[7] = 7;
      }
      pool.add(NodeId.of(bytes));
    }
    PeerLinks links = new PeerLinks();
    Set<NodeId> expected = new HashSet<>();
    for (int step = 0; step < 20_000; step++) {
      NodeId id = pool.get(rng.nextInt(pool.size()));
      // An equal id from other bytes objects: found by equality, not only by identity.
      NodeId copy = NodeId.of(id.toBytes());
      if (rng.nextBoolean()) {
        assertThat(links.add(copy)).isEqualTo(expected.add(id));
      } else {
        assertThat(links.remove(copy)).isEqualTo(expected.remove(id));
      }
      assertThat(links.size()).isEqualTo(expected.size());
      NodeId probe = pool.get(rng.nextInt(pool.size()));
      assertThat(links.contains(probe)).isEqualTo(expected.contains(probe));
    }
    assertThat(links.toSet()).isEqualTo(expected);
  }
}
