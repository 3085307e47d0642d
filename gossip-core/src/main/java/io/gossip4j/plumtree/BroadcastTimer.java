package io.gossip4j.plumtree;

import io.gossip4j.MessageId;

/** PlumTree's timers. */
public sealed interface BroadcastTimer {

  /** Send the IHAVE announcements queued since the last dispatch. */
  record DispatchLazyPush() implements BroadcastTimer {}

  /** A message announced by IHAVE has not arrived: graft the next announcer. */
  record GraftTimeout(MessageId id, long seq) implements BroadcastTimer {}

  /** Drop expired entries from the seen-id and payload caches. */
  record EvictCaches() implements BroadcastTimer {}

  /** The shared tree's beat: the root raises its sequence number, the others check on it. */
  record TreeBeacon() implements BroadcastTimer {}

  /** The shared tree's root may now raise its sequence number for a request it held back. */
  record TreeSeqRequest() implements BroadcastTimer {}

  /** Report the broadcasts that stayed missing since the checks before (see OriginGaps). */
  record CheckGaps() implements BroadcastTimer {}

  /** Reconcile with a neighbor if a message is still missing since the last tick. */
  record HoleTick() implements BroadcastTimer {}
}
