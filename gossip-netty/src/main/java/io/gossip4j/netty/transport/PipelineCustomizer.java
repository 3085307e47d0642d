package io.gossip4j.netty.transport;

import io.gossip4j.NodeId;
import io.netty.channel.ChannelPipeline;

/**
 * Adds handlers at the socket end of every pipeline, below TLS, before the transport adds its
 * own. Production pipelines get none ({@link #NONE}); tests add a gate that cuts traffic, to
 * simulate partitions and frozen nodes.
 */
@FunctionalInterface
public interface PipelineCustomizer {
  /** Adds nothing. */
  PipelineCustomizer NONE = (pipeline, dialed) -> {};

  /**
   * Called once per channel, on its event loop, before any byte moves.
   *
   * @param pipeline the new channel's pipeline, without the transport's handlers yet
   * @param dialed the peer this node dialed on the channel, or null for an accepted channel
   *     (whose peer is known once TLS authenticated it:
   *     {@link io.gossip4j.netty.tls.TlsSetup#authenticatedPeer})
   */
  void customize(ChannelPipeline pipeline, NodeId dialed);
}
