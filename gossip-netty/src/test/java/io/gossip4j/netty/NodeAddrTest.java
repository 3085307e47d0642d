package io.gossip4j.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gossip4j.NodeId;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class NodeAddrTest {
  private static final String HEX = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
  private static final NodeId ID = NodeId.fromHex(HEX);

  @Test
  void printsIdThenAddressesWithIpv6InBrackets() throws Exception {
    NodeAddr addr =
        NodeAddr.of(
            ID,
            new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 7946),
            new InetSocketAddress(InetAddress.getByName("::1"), 7947),
            InetSocketAddress.createUnresolved("node-7.example.org", 80));

    assertThat(addr.toString())
        .isEqualTo(HEX + "@127.0.0.1:7946,[0:0:0:0:0:0:0:1]:7947,node-7.example.org:80");
  }

  @Test
  void nodeWithoutAddressesPrintsJustTheId() {
    assertThat(NodeAddr.of(ID).toString()).isEqualTo(HEX);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        HEX,
        HEX + "@127.0.0.1:1",
        HEX + "@[2001:db8:0:0:0:0:0:7]:65535",
        HEX + "@node-7.example.org:7946",
        HEX + "@10.0.0.1:7946,[0:0:0:0:0:0:0:1]:7946,localhost:7946"
      })
  void parsesWhatItPrints(String text) {
    NodeAddr parsed = NodeAddr.parse(text);

    assertThat(parsed.toString()).isEqualTo(text);
    assertThat(NodeAddr.parse(parsed.toString())).isEqualTo(parsed);
  }

  @Test
  void parsesLiteralsAsResolvedAndNamesAsUnresolved() throws Exception {
    NodeAddr parsed = NodeAddr.parse(HEX + "@192.0.2.7:7946,[2001:db8::7]:7946,example.org:7946");

    assertThat(parsed.id()).isEqualTo(ID);
    assertThat(parsed.addresses())
        .containsExactly(
            new InetSocketAddress(InetAddress.getByName("192.0.2.7"), 7946),
            new InetSocketAddress(InetAddress.getByName("2001:db8::7"), 7946),
            InetSocketAddress.createUnresolved("example.org", 7946));
    assertThat(parsed.addresses().get(2).isUnresolved()).isTrue();
  }

  @Test
  void addressListIsImmutable() {
    NodeAddr parsed = NodeAddr.parse(HEX + "@127.0.0.1:1");

    assertThatThrownBy(() -> parsed.addresses().clear())
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "''                               | the node id: NodeId must be 64 hex characters, got 0",
        "0011                             | the node id: NodeId must be 64 hex characters, got 4",
        "@127.0.0.1:1                     | the node id",
        "HEX@                             | address 1 '' is empty",
        "HEX@127.0.0.1:1,                 | address 2 '' is empty",
        "HEX@127.0.0.1                    | address 1 '127.0.0.1' has no port",
        "HEX@127.0.0.1:                   | has port '', expected a number 1 to 65535",
        "HEX@127.0.0.1:0                  | has port '0', expected a number 1 to 65535",
        "HEX@127.0.0.1:65536              | has port '65536'",
        "HEX@127.0.0.1:http               | has port 'http'",
        "HEX@127.0.0.1:-1                 | has port '-1'",
        "HEX@:7946                        | has no host",
        "HEX@::1:7946                     | IPv6 address without brackets",
        "HEX@[::1:7946                    | unclosed or empty '['",
        "HEX@[]:7946                      | unclosed or empty '['",
        "HEX@[not-ipv6]:7946              | has no valid IPv6 address in brackets",
        "HEX@[1.2.3.4]:7946               | has no valid IPv6 address in brackets",
        "HEX@256.1.1.1:7946               | is not an IPv4 address of four numbers 0 to 255",
        "HEX@1.2.3:7946                   | is not an IPv4 address of four numbers 0 to 255",
        "HEX@bad_host!:7946               | has an invalid host name",
        "HEX@-leading.example:7946        | has an invalid host name"
      })
  void rejectsBadInputSayingWhatIsWrong(String text, String expected) {
    String input = text.replace("HEX", HEX);

    assertThatThrownBy(() -> NodeAddr.parse(input))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("bad node address \"" + input + "\": ")
        .hasMessageContaining(expected);
  }

  @Test
  void rejectsPortZeroWhenBuilt() {
    assertThatThrownBy(() -> NodeAddr.of(ID, new InetSocketAddress("127.0.0.1", 0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("port 0");
  }

  @Test
  void rejectsNullParts() {
    assertThatThrownBy(() -> new NodeAddr(null, List.of())).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> new NodeAddr(ID, null)).isInstanceOf(NullPointerException.class);
  }
}
