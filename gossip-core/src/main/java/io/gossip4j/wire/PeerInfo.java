package io.gossip4j.wire;

import io.gossip4j.NodeId;
import java.util.Objects;

/** A peer as the membership protocol knows it: its id and the data to reach it. */
public record PeerInfo(NodeId id, PeerData data) {
  public PeerInfo {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(data, "data");
  }

  /** A peer known only by its id. */
  public static PeerInfo of(NodeId id) {
    return new PeerInfo(id, PeerData.EMPTY);
  }
}
