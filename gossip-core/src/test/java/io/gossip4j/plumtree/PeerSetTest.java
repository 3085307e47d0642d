package io.gossip4j.plumtree;

import static org.assertj.core.api.Assertions.assertThat;

import io.gossip4j.NodeId;
import org.junit.jupiter.api.Test;

class PeerSetTest {
  private static NodeId node(int n) {
    byte[] bytes = new byte[32];
    bytes[0] = (byte) n;
    return NodeId.of(bytes);
  }

  @Test
  void keepsEachPeerOnceInTheOrderAdded() {
    PeerSet set = new PeerSet();
    set.add(node(2));
    set.add(node(1));
    set.add(node(2));
    set.add(node(3));
    set.remove(node(1));
    set.remove(node(9));
    assertThat(set.toSet()).containsExactly(node(2), node(3));
    assertThat(set.contains(node(3))).isTrue();
    assertThat(set.contains(node(1))).isFalse();
  }
}
