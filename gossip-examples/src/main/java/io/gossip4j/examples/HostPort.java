package io.gossip4j.examples;

import java.net.InetSocketAddress;

/** Parses {@code host:port} and {@code [ipv6]:port} command-line values. */
final class HostPort {
  private HostPort() {}

  static InetSocketAddress parse(String option, String text) {
    int colon = text.lastIndexOf(':');
    if (colon <= 0 || colon == text.length() - 1) {
      throw new UserError(option + " must be HOST:PORT, was '" + text + "'");
    }
    String host = text.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(text.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new UserError(option + " has a bad port in '" + text + "'");
    }
    if (port < 0 || port > 65535) {
      throw new UserError(option + " port must be 0 to 65535, was " + port);
    }
    InetSocketAddress address = new InetSocketAddress(host, port);
    if (address.isUnresolved()) {
      throw new UserError(option + ": unknown host '" + host + "'");
    }
    return address;
  }
}
