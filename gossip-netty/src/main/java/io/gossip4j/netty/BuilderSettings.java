package io.gossip4j.netty;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * {@link Gossip.Builder#configure}: a node's settings from properties ({@code gossip4j.bind})
 * or environment variables ({@code GOSSIP4J_BIND}), as docs/configuration.md lists them. Keys
 * without the prefix are ignored; a key with it that names no setting, or a value that does
 * not parse, fails naming the key; a value out of range fails at {@code build()}, naming the
 * builder's field, as when it is set in code.
 */
final class BuilderSettings {
  private static final String PREFIX = "gossip4j.";

  /** The settings by their property name after the prefix, in the order they are applied. */
  private static final Map<String, BiConsumer<Gossip.Builder, String>> SETTINGS = new TreeMap<>();

  static {
    SETTINGS.put("bind", (b, v) -> b.bind(address(v)));
    SETTINGS.put("advertise", (b, v) -> {
      List<InetSocketAddress> addresses = new ArrayList<>();
      for (String one : v.split(",")) {
        addresses.add(address(one.trim()));
      }
      b.advertise(addresses);
    });
    SETTINGS.put("key-file", (b, v) -> b.identity(Identity.loadOrCreate(Path.of(v))));
    SETTINGS.put("tls-provider", (b, v) -> b.tlsProvider(
        TlsProvider.valueOf(v.trim().toUpperCase(Locale.ROOT))));
    SETTINGS.put("max-frame-size", (b, v) -> b.maxFrameSize(Integer.parseInt(v.trim())));
    SETTINGS.put("max-topics", (b, v) -> b.maxTopics(Integer.parseInt(v.trim())));
    SETTINGS.put("max-connections", (b, v) -> b.maxConnections(Integer.parseInt(v.trim())));
    SETTINGS.put("verification-threads",
        (b, v) -> b.verificationThreads(Integer.parseInt(v.trim())));
    SETTINGS.put("subscriber-queue-capacity",
        (b, v) -> b.subscriberQueueCapacity(Integer.parseInt(v.trim())));
    SETTINGS.put("join-timeout", (b, v) -> b.joinTimeout(duration(v)));
    SETTINGS.put("connect-timeout", (b, v) -> b.connectTimeout(duration(v)));
    SETTINGS.put("heartbeat-interval", (b, v) -> b.heartbeatInterval(duration(v)));
    SETTINGS.put("idle-timeout", (b, v) -> b.idleTimeout(duration(v)));
  }

  private BuilderSettings() {}

  static void apply(Gossip.Builder builder, Map<String, String> settings) {
    Map<String, String> ours = new TreeMap<>();
    for (Map.Entry<String, String> e : settings.entrySet()) {
      String name = propertyName(e.getKey());
      if (name != null) {
        if (!SETTINGS.containsKey(name)) {
          throw new IllegalArgumentException("unknown setting " + e.getKey() + " (known: "
              + String.join(", ", SETTINGS.keySet().stream().map(k -> PREFIX + k).toList())
              + ")");
        }
        ours.put(name, e.getValue());
      }
    }
    for (Map.Entry<String, String> e : ours.entrySet()) {
      try {
        SETTINGS.get(e.getKey()).accept(builder, e.getValue());
      } catch (RuntimeException bad) {
        throw new IllegalArgumentException("setting " + PREFIX + e.getKey() + "=" + e.getValue()
            + ": " + bad.getMessage(), bad);
      }
    }
  }

  /** {@code gossip4j.join-timeout} and {@code GOSSIP4J_JOIN_TIMEOUT} both name join-timeout. */
  private static String propertyName(String key) {
    String lower = key.toLowerCase(Locale.ROOT);
    if (lower.startsWith(PREFIX)) {
      return lower.substring(PREFIX.length());
    }
    if (lower.startsWith("gossip4j_")) {
      return lower.substring("gossip4j_".length()).replace('_', '-');
    }
    return null;
  }

  /** {@code host:port}, {@code [v6]:port}. */
  private static InetSocketAddress address(String text) {
    String v = text.trim();
    int colon = v.lastIndexOf(':');
    if (colon <= 0 || colon == v.length() - 1) {
      throw new IllegalArgumentException("expected host:port, got '" + text + "'");
    }
    String host = v.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    InetSocketAddress address =
        new InetSocketAddress(host, Integer.parseInt(v.substring(colon + 1)));
    if (address.isUnresolved()) {
      throw new IllegalArgumentException("cannot resolve host '" + host + "'");
    }
    return address;
  }

  /** {@code 500ms}, {@code 10s}, {@code 2m}, or ISO-8601 ({@code PT10S}). */
  private static Duration duration(String text) {
    String v = text.trim().toLowerCase(Locale.ROOT);
    try {
      if (v.startsWith("p")) {
        return Duration.parse(text.trim());
      }
      if (v.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
      }
      if (v.endsWith("s")) {
        return Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)));
      }
      if (v.endsWith("m")) {
        return Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1)));
      }
      throw new NumberFormatException(v);
    } catch (NumberFormatException | DateTimeParseException e) {
      throw new IllegalArgumentException(
          "expected a duration such as 500ms, 10s, 2m or PT10S, got '" + text + "'");
    }
  }
}
