package io.gossip4j.wire;

import io.gossip4j.TopicId;
import java.util.Objects;

/** What one wire frame carries: a message about one topic. */
public record Frame(TopicId topic, Message message) {
  public Frame {
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(message, "message");
  }
}
