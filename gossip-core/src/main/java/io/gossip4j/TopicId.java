package io.gossip4j;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** A topic: one swarm of nodes that broadcast to each other. */
public final class TopicId extends Id32 {
  private TopicId(byte[] bytes) {
    super(bytes);
  }

  private TopicId(ByteBuffer src) {
    super(src);
  }

  /** Reads the next 32 bytes of {@code src} into a TopicId, moving its position past them. */
  public static TopicId read(ByteBuffer src) {
    return new TopicId(src);
  }

  /** The topic id made of these 32 bytes (copied). */
  public static TopicId of(byte[] bytes) {
    return new TopicId(bytes);
  }

  /** Parses the 64-character hex form printed by {@link #toHex()}. */
  public static TopicId fromHex(String hex) {
    return new TopicId(parseHex(hex, "TopicId"));
  }

  /** The topic named by a human-readable string: SHA-256 of its UTF-8 bytes. */
  public static TopicId fromName(String name) {
    try {
      return new TopicId(
          MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
