/**
 * gossip4j's protocol core. Applications see the values they use: node, topic and message ids,
 * scopes and reasons ({@code io.gossip4j}) and the protocol's configurations ({@code
 * io.gossip4j.config}). The pure HyParView + PlumTree state machine ({@code proto}, {@code
 * hyparview}, {@code plumtree}) and the wire codec ({@code wire}) are given only to the
 * transport and the simulator. No I/O, threads or clocks.
 */
// "module": the qualified exports name io.gossip4j.netty and io.gossip4j.sim, built after this
// module, so not found here.
@SuppressWarnings("module")
module io.gossip4j.core {
  requires org.slf4j;

  exports io.gossip4j;
  exports io.gossip4j.config;
  exports io.gossip4j.hyparview to io.gossip4j.netty, io.gossip4j.sim;
  exports io.gossip4j.plumtree to io.gossip4j.netty, io.gossip4j.sim;
  exports io.gossip4j.proto to io.gossip4j.netty, io.gossip4j.sim;
  exports io.gossip4j.wire to io.gossip4j.netty, io.gossip4j.sim;
}
