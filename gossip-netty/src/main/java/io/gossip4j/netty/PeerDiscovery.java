package io.gossip4j.netty;

import java.io.IOException;
import java.util.Collection;
import java.util.List;

/**
 * Finds peers to join a topic through: {@link Topic#join(PeerDiscovery)} asks it off the event
 * loop and joins through what it finds. {@link #of} is a fixed list; {@link DnsDiscovery} reads
 * SRV, A/AAAA and TXT records, as a Kubernetes service or any DNS zone can publish them.
 */
public interface PeerDiscovery {
  /**
   * The peers to try now. May block (a DNS query, say); never called on a node's event loop.
   *
   * @throws IOException when the peers cannot be found, with the reason
   */
  List<NodeAddr> peers() throws IOException;

  /** Always these peers. */
  static PeerDiscovery of(Collection<NodeAddr> peers) {
    List<NodeAddr> copy = List.copyOf(peers);
    return () -> copy;
  }
}
