package io.gossip4j.netty;

/**
 * Where a node runs, as a starting point for {@link Gossip#builder(Preset)}: the timeouts that
 * tell a slow peer from a dead one, and a missing broadcast from a late one, depend on the
 * network's round trips. Any setting can still be changed on the builder.
 */
public enum Preset {
  /**
   * One site: round trips of a few ms. The defaults: heartbeat 1 s, idle timeout 5 s, connect
   * 5 s, TLS handshake 10 s, neighbor requests 500 ms, graft timeouts 80 / 40 ms (the first
   * growing up to 1 s when payloads come late).
   */
  LAN,
  /**
   * Across regions or the internet: round trips up to a few hundred ms, some loss. Heartbeat
   * 2 s, idle timeout 15 s, connect 10 s, TLS handshake 15 s, neighbor requests 2 s, graft
   * timeouts 250 / 125 ms (the first growing up to 3 s).
   */
  WAN
}
