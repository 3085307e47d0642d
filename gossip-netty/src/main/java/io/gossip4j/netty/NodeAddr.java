package io.gossip4j.netty;

import io.gossip4j.NodeId;
import io.gossip4j.wire.PeerData;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How to reach a node: its {@link NodeId} and the socket addresses it listens on, in order of
 * preference. The node id is what a dialer authenticates; the addresses only say where to try.
 *
 * <p>The printed form, read back by {@link #parse(String)}, is the 64-hex-character node id,
 * then {@code @} and comma-separated {@code host:port} addresses, IPv6 hosts in brackets:
 *
 * <pre>{@code
 * 2b8f...e1@192.0.2.7:7946,[2001:db8::7]:7946,node-7.example.org:7946
 * 2b8f...e1
 * }</pre>
 *
 * The second form, a bare node id, names a node whose addresses the transport learns elsewhere.
 *
 * @param id the node's id
 * @param addresses where it listens; may be empty, each with a port from 1 to 65535
 */
public record NodeAddr(NodeId id, List<InetSocketAddress> addresses) {
  private static final int MAX_PORT = 65535;
  private static final Pattern DOTTED_QUAD =
      Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
  private static final Pattern NUMERIC_DOTS = Pattern.compile("[\\d.]+");
  // RFC 1123 host names: dot-separated labels of letters, digits and inner hyphens.
  private static final Pattern HOST_NAME =
      Pattern.compile("(?i)[a-z\\d]([a-z\\d-]{0,61}[a-z\\d])?(\\.[a-z\\d]([a-z\\d-]{0,61}[a-z\\d])?)*");
  private static final int MAX_HOST_NAME_LENGTH = 253;

  /**
   * Checks the parts and copies the list.
   *
   * @throws IllegalArgumentException if an address has port 0, which cannot be dialed
   */
  public NodeAddr {
    Objects.requireNonNull(id, "id");
    addresses = List.copyOf(addresses);
    for (InetSocketAddress address : addresses) {
      if (address.getPort() == 0) {
        throw new IllegalArgumentException(
            "address " + address + " of node " + id + " has port 0, expected 1 to " + MAX_PORT);
      }
    }
  }

  /** A node address from an id and any number of socket addresses. */
  public static NodeAddr of(NodeId id, InetSocketAddress... addresses) {
    return new NodeAddr(id, List.of(addresses));
  }

  /**
   * Parses the form printed by {@link #toString()}.
   *
   * <p>No name is looked up: literal IPv4 and bracketed IPv6 addresses become resolved socket
   * addresses, host names become {@linkplain InetSocketAddress#createUnresolved unresolved} ones
   * that the transport resolves when it dials, so parsing never blocks on DNS and a name that
   * moves to a new IP keeps working.
   *
   * @throws IllegalArgumentException naming the part that is wrong and what was expected
   */
  public static NodeAddr parse(String text) {
    Objects.requireNonNull(text, "text");
    int at = text.indexOf('@');
    String idText = at < 0 ? text : text.substring(0, at);
    NodeId id;
    try {
      id = NodeId.fromHex(idText);
    } catch (IllegalArgumentException e) {
      throw bad(text, "the node id: " + e.getMessage());
    }
    if (at < 0) {
      return new NodeAddr(id, List.of());
    }
    String[] parts = text.substring(at + 1).split(",", -1);
    List<InetSocketAddress> addresses = new ArrayList<>(parts.length);
    for (int i = 0; i < parts.length; i++) {
      addresses.add(parseAddress(text, parts[i], i + 1));
    }
    return new NodeAddr(id, addresses);
  }

  /**
   * The addresses as the protocol's opaque peer data, so a peer that learns of this node
   * through a shuffle can dial it: the address part of {@link #toString()}, in UTF-8.
   */
  PeerData toPeerData() {
    return addresses.isEmpty()
        ? PeerData.EMPTY
        : PeerData.of(addressText(addresses).getBytes(StandardCharsets.UTF_8));
  }

  /** Whether these addresses fit the protocol's peer data, as {@link #toPeerData()} makes it. */
  static boolean fitsPeerData(List<InetSocketAddress> addresses) {
    return addressText(addresses).getBytes(StandardCharsets.UTF_8).length
        <= PeerData.MAX_LENGTH;
  }

  /** {@code host:port[,host:port...]}, as {@link #parse(String)} reads after the {@code @}. */
  private static String addressText(List<InetSocketAddress> addresses) {
    StringBuilder out = new StringBuilder();
    for (InetSocketAddress address : addresses) {
      if (out.length() > 0) {
        out.append(',');
      }
      appendAddress(out, address);
    }
    return out.toString();
  }

  /**
   * The node address behind peer data made by {@link #toPeerData()}.
   *
   * @throws IllegalArgumentException if the data is not a list of addresses
   */
  static NodeAddr fromPeerData(NodeId id, PeerData data) {
    if (data.isEmpty()) {
      return new NodeAddr(id, List.of());
    }
    return parse(id.toHex() + "@" + new String(data.toBytes(), StandardCharsets.UTF_8));
  }

  /** The form {@link #parse(String)} reads: {@code <64-hex-id>[@host:port[,host:port...]]}. */
  @Override
  public String toString() {
    return addresses.isEmpty() ? id.toHex() : id.toHex() + "@" + addressText(addresses);
  }

  private static void appendAddress(StringBuilder out, InetSocketAddress address) {
    InetAddress ip = address.getAddress();
    if (ip == null) {
      out.append(address.getHostString());
    } else if (ip instanceof Inet6Address) {
      out.append('[').append(ip.getHostAddress()).append(']');
    } else {
      out.append(ip.getHostAddress());
    }
    out.append(':').append(address.getPort());
  }

  private static InetSocketAddress parseAddress(String text, String part, int position) {
    String where = "address " + position + " '" + part + "'";
    if (part.isEmpty()) {
      throw bad(text, where + " is empty, expected host:port");
    }
    int colon = part.lastIndexOf(':');
    if (colon < 0) {
      throw bad(text, where + " has no port, expected host:port");
    }
    String host = part.substring(0, colon);
    int port = parsePort(text, where, part.substring(colon + 1));
    if (host.startsWith("[")) {
      if (!host.endsWith("]") || host.length() < 3) {
        throw bad(text, where + " has an unclosed or empty '[', expected [IPv6]:port");
      }
      return new InetSocketAddress(ipv6Literal(text, where, host), port);
    }
    if (host.isEmpty()) {
      throw bad(text, where + " has no host, expected host:port");
    }
    if (host.indexOf(':') >= 0) {
      throw bad(text, where + " looks like an IPv6 address without brackets, expected [IPv6]:port");
    }
    if (DOTTED_QUAD.matcher(host).matches()) {
      return new InetSocketAddress(ipv4Literal(host), port);
    }
    if (NUMERIC_DOTS.matcher(host).matches()) {
      throw bad(text, where + " is not an IPv4 address of four numbers 0 to 255");
    }
    if (host.length() > MAX_HOST_NAME_LENGTH || !HOST_NAME.matcher(host).matches()) {
      throw bad(text, where + " has an invalid host name, expected letters, digits, '-' and '.'");
    }
    return InetSocketAddress.createUnresolved(host, port);
  }

  private static int parsePort(String text, String where, String port) {
    int value = -1;
    if (!port.isEmpty() && port.length() <= 5 && port.chars().allMatch(c -> c >= '0' && c <= '9')) {
      value = Integer.parseInt(port);
    }
    if (value < 1 || value > MAX_PORT) {
      throw bad(text, where + " has port '" + port + "', expected a number 1 to " + MAX_PORT);
    }
    return value;
  }

  private static InetAddress ipv4Literal(String host) {
    try {
      // A dotted quad (checked by the caller) is parsed as a literal: no DNS query.
      return InetAddress.getByName(host);
    } catch (UnknownHostException e) {
      throw new AssertionError("a dotted quad is always a literal: " + host, e);
    }
  }

  private static InetAddress ipv6Literal(String text, String where, String bracketed) {
    try {
      // The JDK parses a bracketed host as an IPv6 literal and never sends it to DNS; it fails
      // if the brackets hold anything else.
      return InetAddress.getByName(bracketed);
    } catch (UnknownHostException e) {
      throw bad(text, where + " has no valid IPv6 address in brackets: " + e.getMessage());
    }
  }

  private static IllegalArgumentException bad(String text, String what) {
    return new IllegalArgumentException(
        "bad node address \"" + text + "\": " + what
            + " (expected <64-hex-node-id>[@host:port[,host:port...]])");
  }
}
