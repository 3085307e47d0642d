package io.gossip4j.wire;

import io.gossip4j.Id32;
import io.gossip4j.MessageId;
import io.gossip4j.NodeId;
import io.gossip4j.TopicId;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Computes message ids: SHA-256(topic || origin || nonce as 8 bytes big-endian || payload).
 * Including origin and nonce means the same payload broadcast twice gets two ids, and a
 * receiver can recompute the id, so a forged one is detected. Not thread-safe: one per core.
 */
public final class MessageIds {
  private final MessageDigest sha256;
  private final byte[] scratch = new byte[Id32.LENGTH * 2 + Long.BYTES];

  public MessageIds() {
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /** The id of a broadcast. */
  public MessageId of(TopicId topic, NodeId origin, long nonce, byte[] payload) {
    topic.copyTo(scratch, 0);
    origin.copyTo(scratch, Id32.LENGTH);
    for (int i = 0; i < Long.BYTES; i++) {
      scratch[Id32.LENGTH * 2 + i] = (byte) (nonce >>> (56 - 8 * i));
    }
    sha256.update(scratch);
    sha256.update(payload);
    return MessageId.of(sha256.digest());
  }
}
