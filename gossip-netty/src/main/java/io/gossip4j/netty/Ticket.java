package io.gossip4j.netty;

import io.gossip4j.TopicId;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * An invitation to a topic: its id and a few node addresses to join through, as one copyable
 * string ({@code gossip4j1} followed by unpadded base64url). Hand it to someone, and they
 * {@linkplain Gossip#subscribe subscribe} with its topic and nodes.
 *
 * @param topic the topic to join
 * @param nodes nodes of the topic to join through (at least one)
 */
public record Ticket(TopicId topic, List<NodeAddr> nodes) {
  private static final String PREFIX = "gossip4j1";
  /** A ticket longer than this is refused unread: a few addresses fit many times over. */
  private static final int MAX_LENGTH = 8192;

  /**
   * @throws IllegalArgumentException if there is no node
   */
  public Ticket {
    Objects.requireNonNull(topic, "topic");
    nodes = List.copyOf(nodes);
    if (nodes.isEmpty()) {
      throw new IllegalArgumentException("a ticket needs at least one node to join through");
    }
  }

  /** The copyable form, read back by {@link #parse}. */
  @Override
  public String toString() {
    StringBuilder text = new StringBuilder(topic.toHex());
    for (NodeAddr node : nodes) {
      text.append(' ').append(node);
    }
    return PREFIX + Base64.getUrlEncoder().withoutPadding()
        .encodeToString(text.toString().getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Reads a ticket made by {@link #toString()}.
   *
   * @throws IllegalArgumentException saying what is wrong with it
   */
  public static Ticket parse(String ticket) {
    Objects.requireNonNull(ticket, "ticket");
    String trimmed = ticket.strip();
    if (trimmed.length() > MAX_LENGTH) {
      throw new IllegalArgumentException("not a ticket: longer than " + MAX_LENGTH + " characters");
    }
    if (!trimmed.startsWith(PREFIX)) {
      throw new IllegalArgumentException("not a ticket: it should start with '" + PREFIX + "'");
    }
    String text;
    try {
      text = new String(Base64.getUrlDecoder().decode(trimmed.substring(PREFIX.length())),
          StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a ticket: damaged (" + e.getMessage() + ")");
    }
    String[] parts = text.split(" ");
    if (parts.length < 2) {
      throw new IllegalArgumentException("not a ticket: it names no node to join through");
    }
    TopicId topic;
    try {
      topic = TopicId.fromHex(parts[0]);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a ticket: bad topic: " + e.getMessage());
    }
    List<NodeAddr> nodes = new ArrayList<>();
    for (int i = 1; i < parts.length; i++) {
      nodes.add(NodeAddr.parse(parts[i]));
    }
    return new Ticket(topic, nodes);
  }
}
