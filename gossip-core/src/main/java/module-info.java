/**
 * gossip4j's protocol core: the pure HyParView + PlumTree state machine ({@code proto}), its
 * wire codec ({@code wire}) and the simulator ({@code sim}). No I/O, threads or clocks.
 */
module io.gossip4j.core {
  requires org.slf4j;

  exports io.gossip4j;
  exports io.gossip4j.hyparview;
  exports io.gossip4j.plumtree;
  exports io.gossip4j.proto;
  exports io.gossip4j.sim;
  exports io.gossip4j.wire;
}
