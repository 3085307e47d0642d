package io.gossip4j.netty;

import io.gossip4j.TopicId;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@link Topic#joined()} failed: no neighbor within {@code Gossip.Builder.joinTimeout}, or every
 * bootstrap peer refused this node (its admission rule, {@link TopicOptions.Builder#admission},
 * keeps this node out), which fails it at once. Says,
 * for each address of each peer the topic was to join through, why it did not answer (or that
 * nothing was heard from it). Joining goes on in the background: a later neighbor is reported
 * as {@link GossipEvent.NeighborUp}, and a new {@code joined()} future completes then.
 */
public final class JoinFailedException extends Exception {
  private static final long serialVersionUID = 1L;

  private final transient Map<InetSocketAddress, String> failures;
  private final boolean notAdmitted;

  JoinFailedException(TopicId topic, Duration waited, Map<InetSocketAddress, String> failures) {
    super("no neighbor on topic " + topic + " after " + waited.toMillis() + " ms"
        + (failures.isEmpty()
            ? ": no bootstrap peers were given, and no peer joined through us"
            : "; " + describe(failures)));
    this.failures = Map.copyOf(failures);
    this.notAdmitted = false;
  }

  /** Every bootstrap peer refused this node: their admission rules keep it out of the topic. */
  JoinFailedException(TopicId topic, Map<InetSocketAddress, String> failures) {
    super("not admitted to topic " + topic + ": every bootstrap peer refused this node; "
        + describe(failures));
    this.failures = Map.copyOf(failures);
    this.notAdmitted = true;
  }

  private static String describe(Map<InetSocketAddress, String> failures) {
    return failures.entrySet().stream()
        .map(e -> e.getKey() + ": " + e.getValue())
        .collect(Collectors.joining("; "));
  }

  /** Each bootstrap address, with why it failed, or "no answer" if nothing was heard. */
  public Map<InetSocketAddress, String> failures() {
    return failures;
  }

  /**
   * Whether every bootstrap peer refused this node (their admission rules keep it out), rather
   * than the join timing out.
   */
  public boolean notAdmitted() {
    return notAdmitted;
  }
}
