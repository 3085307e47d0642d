package io.gossip4j.proto;

import io.gossip4j.MessageId;
import io.gossip4j.NeighborDownReason;
import io.gossip4j.NodeId;
import io.gossip4j.Scope;
import io.gossip4j.TopicId;
import io.gossip4j.hyparview.HyParView;
import io.gossip4j.hyparview.MembershipOutput;
import io.gossip4j.hyparview.MembershipTimer;
import io.gossip4j.plumtree.BroadcastGuard;
import io.gossip4j.plumtree.BroadcastOutput;
import io.gossip4j.plumtree.BroadcastTimer;
import io.gossip4j.plumtree.GuardDecision;
import io.gossip4j.plumtree.PlumTree;
import io.gossip4j.wire.BroadcastMessage.Push;
import io.gossip4j.wire.BroadcastMessage;
import io.gossip4j.wire.MembershipMessage;
import io.gossip4j.wire.Message;
import io.gossip4j.wire.MessageIds;
import io.gossip4j.wire.PeerData;
import io.gossip4j.wire.PeerInfo;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * One topic's swarm: HyParView decides who the neighbors are, PlumTree broadcasts over them.
 * Each layer queues its outputs; the swarm drains them after every input it hands on and maps
 * them: membership changes flow into the broadcast tree, and every message, timer and event goes
 * out through the node's {@link Protocol}, tagged with the topic.
 */
final class Swarm {
  private final TopicId topic;
  private final long epoch;
  private final Protocol node;
  private final HyParView membership;
  private final PlumTree broadcast;
  /** {@link #apply}, made once: draining runs for every message. */
  private final Consumer<MembershipOutput> membershipSink = this::apply;
  private final Consumer<BroadcastOutput> broadcastSink = this::apply;

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
    this.membership = new HyParView(me, myData, config.membership(), rng);
    this.broadcast =
        new PlumTree(
            me, topic, config.broadcast(), config.maxFrameSize(), messageIds, guard, rng);
    membership.start();
    applyMembershipOutputs();
  }

  // ---- inputs, from the node: each hands its layer's outputs on before it returns --------

  void join(List<PeerInfo> bootstrap) {
    membership.join(bootstrap);
    applyMembershipOutputs();
  }

  void admit(Predicate<NodeId> rule) {
    membership.setAdmission(rule);
    broadcast.setAdmission(rule);
    applyMembershipOutputs();
  }

  void broadcast(byte[] payload, Scope scope, long nowNanos) {
    broadcast.broadcast(payload, scope, nowNanos);
    applyBroadcastOutputs();
  }

  void quit() {
    membership.quit();
    applyMembershipOutputs();
  }

  void onMessage(NodeId from, Message message, long nowNanos) {
    if (message instanceof MembershipMessage m) {
      membership.handle(from, m);
      applyMembershipOutputs();
    } else if (message instanceof BroadcastMessage m) {
      if (!membership.admits(from)) {
        membership.refuse(from);
        applyMembershipOutputs();
        return;
      }
      broadcast.handle(from, m, nowNanos);
      applyBroadcastOutputs();
    }
  }

  void onMembershipTimer(MembershipTimer timer) {
    membership.onTimer(timer);
    applyMembershipOutputs();
  }

  void onBroadcastTimer(BroadcastTimer timer, long nowNanos) {
    broadcast.onTimer(timer, nowNanos);
    applyBroadcastOutputs();
  }

  void onJudged(MessageId id, GuardDecision decision, long nowNanos) {
    broadcast.onJudged(id, decision, nowNanos);
    applyBroadcastOutputs();
  }

  void onPeerLost(NodeId peer) {
    membership.onPeerLost(peer);
    applyMembershipOutputs();
  }

  void setLocalData(PeerData data) {
    membership.setLocalData(data);
  }

  // ---- outputs of HyParView and PlumTree, mapped to the node's --------------------------

  private void applyMembershipOutputs() {
    membership.drainOutputs(membershipSink);
  }

  private void applyBroadcastOutputs() {
    broadcast.drainOutputs(broadcastSink);
  }

  /** Membership changes flow into the broadcast tree, then out to the application. */
  private void apply(MembershipOutput output) {
    // Java 17 has no pattern switch: the sealed interface keeps this chain complete.
    if (output instanceof MembershipOutput.Send send) {
      node.send(this, send.to(), send.message());
    } else if (output instanceof MembershipOutput.Schedule s) {
      node.schedule(s.delayNanos(), new Timer.Membership(topic, epoch, s.timer()));
    } else if (output instanceof MembershipOutput.NeighborUp up) {
      broadcast.neighborUp(up.peer(), node.now());
      applyBroadcastOutputs();
      node.emit(topic, new TopicEvent.NeighborUp(up.peer()));
    } else if (output instanceof MembershipOutput.NeighborDown down) {
      broadcast.neighborDown(down.peer(), down.reason(), node.now());
      applyBroadcastOutputs();
      node.emit(topic, new TopicEvent.NeighborDown(down.peer(), down.reason()));
    } else if (output instanceof MembershipOutput.Refused refused) {
      node.emit(topic, new TopicEvent.Refused(refused.peer()));
    } else {
      throw new IllegalStateException("unhandled membership output " + output);
    }
  }

  /** A neighbor PlumTree gave up on leaves the membership too. */
  private void apply(BroadcastOutput output) {
    if (output instanceof BroadcastOutput.Send send) {
      node.send(this, send.to(), send.message());
    } else if (output instanceof BroadcastOutput.Schedule s) {
      node.schedule(s.delayNanos(), new Timer.Broadcast(topic, epoch, s.timer()));
    } else if (output instanceof BroadcastOutput.Deliver d) {
      Push push = d.push();
      node.emit(
          topic,
          new TopicEvent.Received(
              push.id(),
              push.origin(),
              d.deliveredFrom(),
              push.scope(),
              PlumTree.nextRound(push.round()),
              push.payload(),
              d.verified(),
              push.late()));
    } else if (output instanceof BroadcastOutput.Gap gap) {
      node.emit(topic, new TopicEvent.Gap(gap.origin(), gap.missed()));
    } else if (output instanceof BroadcastOutput.Judge judge) {
      node.judge(this, judge.push());
    } else if (output instanceof BroadcastOutput.Expel expel) {
      node.membershipChanged();
      membership.expel(expel.peer());
      applyMembershipOutputs();
    } else {
      throw new IllegalStateException("unhandled broadcast output " + output);
    }
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
