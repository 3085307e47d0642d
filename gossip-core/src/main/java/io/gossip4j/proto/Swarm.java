package io.gossip4j.proto;

import io.gossip4j.NeighborDownReason;
import io.gossip4j.NodeId;
import io.gossip4j.PeerData;
import io.gossip4j.PeerInfo;
import io.gossip4j.Scope;
import io.gossip4j.TopicId;
import io.gossip4j.hyparview.HyParView;
import io.gossip4j.hyparview.MembershipTimer;
import io.gossip4j.plumtree.BroadcastGuard;
import io.gossip4j.plumtree.BroadcastTimer;
import io.gossip4j.plumtree.PlumTree;
import io.gossip4j.wire.BroadcastMessage;
import io.gossip4j.wire.BroadcastMessage.Push;
import io.gossip4j.wire.MembershipMessage;
import io.gossip4j.wire.Message;
import io.gossip4j.wire.MessageIds;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * One topic's swarm: HyParView decides who the neighbors are, PlumTree broadcasts over them.
 * Membership changes flow into the broadcast tree; every effect of either goes out through the
 * node's {@link Protocol}, tagged with the topic.
 */
final class Swarm implements HyParView.Io, PlumTree.Io {
  private final TopicId topic;
  private final long epoch;
  private final Protocol node;
  private final HyParView membership;
  private final PlumTree broadcast;

  Swarm(
      TopicId topic,
      long epoch,
      NodeId me,
      PeerData myData,
      ProtocolConfig config,
      RandomGenerator rng,
      MessageIds messageIds,
      BroadcastGuard guard,
      Protocol node) {
    this.topic = topic;
    this.epoch = epoch;
    this.node = node;
    this.membership = new HyParView(me, myData, config.membership(), rng, this);
    this.broadcast =
        new PlumTree(
            me, topic, config.broadcast(), config.maxFrameSize(), messageIds, guard, rng, this);
    membership.start();
  }

  // ---- inputs, from the node ------------------------------------------------------------

  void join(List<PeerInfo> bootstrap) {
    membership.join(bootstrap);
  }

  void broadcast(byte[] payload, Scope scope, long nowNanos) {
    broadcast.broadcast(payload, scope, nowNanos);
  }

  void quit() {
    membership.quit();
  }

  void onMessage(NodeId from, Message message, long nowNanos) {
    if (message instanceof MembershipMessage m) {
      membership.handle(from, m);
    } else if (message instanceof BroadcastMessage m) {
      broadcast.handle(from, m, nowNanos);
    }
  }

  void onMembershipTimer(MembershipTimer timer) {
    membership.onTimer(timer);
  }

  void onBroadcastTimer(BroadcastTimer timer, long nowNanos) {
    broadcast.onTimer(timer, nowNanos);
  }

  void onPeerLost(NodeId peer) {
    membership.onPeerLost(peer);
  }

  void setLocalData(PeerData data) {
    membership.setLocalData(data);
  }

  // ---- effects, from HyParView and PlumTree -----------------------------------------------

  @Override
  public void send(NodeId to, MembershipMessage message) {
    node.send(this, to, message);
  }

  @Override
  public void send(NodeId to, BroadcastMessage message) {
    node.send(this, to, message);
  }

  @Override
  public void schedule(long delayNanos, MembershipTimer timer) {
    node.schedule(delayNanos, new Timer.Membership(topic, epoch, timer));
  }

  @Override
  public void schedule(long delayNanos, BroadcastTimer timer) {
    node.schedule(delayNanos, new Timer.Broadcast(topic, epoch, timer));
  }

  @Override
  public void neighborUp(NodeId peer) {
    broadcast.neighborUp(peer, node.now());
    node.emit(topic, new TopicEvent.NeighborUp(peer));
  }

  @Override
  public void neighborDown(NodeId peer, NeighborDownReason reason) {
    broadcast.neighborDown(peer);
    node.emit(topic, new TopicEvent.NeighborDown(peer, reason));
  }

  @Override
  public void deliver(Push gossip, NodeId deliveredFrom, boolean verified) {
    node.emit(
        topic,
        new TopicEvent.Received(
            gossip.id(),
            gossip.origin(),
            deliveredFrom,
            gossip.scope(),
            PlumTree.nextRound(gossip.round()),
            gossip.payload(),
            verified));
  }

  @Override
  public void expel(NodeId peer) {
    node.membershipChanged();
    membership.expel(peer);
  }

  // ---- queries --------------------------------------------------------------------------

  TopicId topic() {
    return topic;
  }

  long epoch() {
    return epoch;
  }

  boolean needs(NodeId peer) {
    return membership.needs(peer);
  }

  PeerData dataOf(NodeId peer) {
    return membership.dataOf(peer);
  }

  HyParView membership() {
    return membership;
  }

  PlumTree broadcastTree() {
    return broadcast;
  }
}
