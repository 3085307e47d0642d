package io.gossip4j.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gossip4j.TopicId;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class TicketTest {
  private static final NodeAddr NODE = NodeAddr.of(Identity.generate().nodeId(),
      new InetSocketAddress("127.0.0.1", 4000), new InetSocketAddress("::1", 4001));

  @Test
  void aTicketRoundTripsThroughItsString() {
    Ticket ticket = new Ticket(TopicId.fromName("chat"), List.of(NODE));
    String text = ticket.toString();
    assertThat(text).startsWith("gossip4j1").doesNotContain(" ", "\n");
    assertThat(Ticket.parse(text)).isEqualTo(ticket);
    assertThat(Ticket.parse("  " + text + "\n")).isEqualTo(ticket);
  }

  @Test
  void badTicketsSayWhatIsWrong() {
    assertThatThrownBy(() -> Ticket.parse("hello")).hasMessageContaining("should start with");
    assertThatThrownBy(() -> Ticket.parse("gossip4j1!!!")).hasMessageContaining("damaged");
    assertThatThrownBy(() -> Ticket.parse("gossip4j1" + java.util.Base64.getUrlEncoder()
        .encodeToString(TopicId.fromName("x").toHex().getBytes())))
        .hasMessageContaining("no node");
    assertThatThrownBy(() -> new Ticket(TopicId.fromName("x"), List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
