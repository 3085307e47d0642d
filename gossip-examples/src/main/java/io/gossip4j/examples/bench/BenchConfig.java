package io.gossip4j.examples.bench;

import io.gossip4j.netty.TlsProvider;

/**
 * What one benchmark run does.
 *
 * @param nodes nodes in the swarm, all in this JVM on loopback
 * @param messages broadcasts measured (after the warm-up)
 * @param size payload bytes per broadcast (at least 16: a sequence number and a timestamp)
 * @param rate broadcasts per second, open loop; 0 for as fast as the window allows
 * @param tls whether connections use TLS (the library always does; off is for the raw run only)
 * @param signed whether broadcasts carry and are checked against their origin's signature
 * @param threads event loop threads shared by all nodes
 * @param listenersOnLoop whether the benchmark's listener runs on the event loop
 *     ({@code Gossip.Builder.listenerExecutor(Runnable::run)}) rather than the node's delivery
 *     threads
 * @param slowSubscriber whether node 0 also has a deliberately slow subscriber (reading about
 *     1,000 events per second), which must get {@code Lagged} while the others lose nothing
 * @param window most broadcasts in flight (sent, not yet delivered everywhere) when rate is 0
 * @param warmup broadcasts sent and waited for before measuring
 * @param seed seeds the choice of senders
 * @param tlsProvider the TLS implementation of the nodes and of the raw run: AUTO, JDK or OPENSSL
 */
public record BenchConfig(
    int nodes,
    int messages,
    int size,
    int rate,
    boolean tls,
    boolean signed,
    int threads,
    boolean listenersOnLoop,
    boolean slowSubscriber,
    int window,
    int warmup,
    long seed,
    TlsProvider tlsProvider) {

  public BenchConfig {
    if (nodes < 2) {
      throw new IllegalArgumentException("--nodes must be at least 2, was " + nodes);
    }
    if (messages < 1) {
      throw new IllegalArgumentException("--messages must be at least 1, was " + messages);
    }
    if (size < 16) {
      throw new IllegalArgumentException("--size must be at least 16 bytes, was " + size);
    }
    if (rate < 0) {
      throw new IllegalArgumentException("--rate must be >= 0, was " + rate);
    }
    if (threads < 1) {
      throw new IllegalArgumentException("--threads must be at least 1, was " + threads);
    }
  }
}
