package io.gossip4j.plumtree;

import static org.assertj.core.api.Assertions.assertThat;

import io.gossip4j.NodeId;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class NeighborsTest {

  @Test
  void keepsTheOrderTheyCameUpInThroughAddsAndRemovals() {
    SplittableRandom rng = new SplittableRandom(9);
    List<NodeId> pool = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      byte[] bytes = new byte[32];
      rng.nextBytes(bytes);
      pool.add(NodeId.of(bytes));
    }
    Neighbors neighbors = new Neighbors();
    Set<NodeId> model = new LinkedHashSet<>();
    for (int step = 0; step < 5_000; step++) {
      NodeId id = pool.get(rng.nextInt(pool.size()));
      NodeId copy = NodeId.of(id.toBytes()); // equal, not the same instance
      if (rng.nextInt(3) > 0) {
        neighbors.add(copy, 0);
        model.add(id);
      } else {
        neighbors.remove(copy);
        model.remove(id);
      }
      assertThat(neighbors.toSet()).containsExactlyElementsOf(model);
      assertThat(neighbors.size()).isEqualTo(model.size());
      NodeId probe = pool.get(rng.nextInt(pool.size()));
      assertThat(neighbors.contains(probe)).isEqualTo(model.contains(probe));
      for (int i = 0; i < neighbors.size(); i++) {
        assertThat(neighbors.is(i, probe, probe.hashCode()))
            .isEqualTo(neighbors.get(i).equals(probe));
      }
    }
  }
}
