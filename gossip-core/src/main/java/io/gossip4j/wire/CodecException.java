package io.gossip4j.wire;

/** A frame that cannot be decoded or encoded; the message says what was wrong. */
public final class CodecException extends Exception {
  public CodecException(String message) {
    super(message);
  }
}
