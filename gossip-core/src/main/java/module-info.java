/**
 * gossip4j's protocol core: the pure HyParView + PlumTree state machine ({@code proto}) and its
 * wire codec ({@code wire}). No I/O, threads or clocks.
 */
// "module": the qualified export names io.gossip4j.sim, built after this module, so not found here.
@SuppressWarnings("module")
module io.gossip4j.core {
  requires org.slf4j;

  exports io.gossip4j;
  exports io.gossip4j.hyparview;
  exports io.gossip4j.plumtree;
  exports io.gossip4j.proto;
  exports io.gossip4j.wire;
  // The simulator's configs validate their fields the same way the protocol's do.
  exports io.gossip4j.config to io.gossip4j.sim;
}
