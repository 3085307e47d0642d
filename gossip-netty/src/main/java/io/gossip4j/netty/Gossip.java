package io.gossip4j.netty;

import io.gossip4j.NodeId;
import io.gossip4j.Scope;
import io.gossip4j.TopicId;
import io.gossip4j.config.HyParViewConfig;
import io.gossip4j.config.PlumTreeConfig;
import io.gossip4j.netty.tls.TlsSetup;
import io.gossip4j.netty.transport.PeerConnections;
import io.gossip4j.netty.transport.PipelineCustomizer;
import io.gossip4j.netty.transport.Transport;
import io.gossip4j.netty.transport.TransportConfig;
import io.gossip4j.proto.Input;
import io.gossip4j.proto.Protocol;
import io.gossip4j.proto.ProtocolConfig;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.Future;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A gossip node: HyParView membership and PlumTree broadcast per topic, over mutually
 * authenticated TLS connections, one per peer.
 *
 * <pre>{@code
 * try (Gossip gossip = Gossip.builder().identity(Identity.generate()).build().start()) {
 *   Topic topic = gossip.subscribe(TopicId.fromName("chat"), List.of(bootstrapAddr));
 *   topic.joined().get(10, TimeUnit.SECONDS);
 *   topic.broadcast("hello".getBytes(UTF_8));
 *   GossipEvent event = topic.take();
 * }
 * }</pre>
 *
 * <p>Every broadcast is signed by the node that sent it and verified by every node that
 * receives it, so {@link GossipEvent.Received#origin()} can be trusted even for a message relayed
 * by others ({@link GossipEvent.Received#verified()}); each topic can turn this off and add a
 * {@link Validator} with {@link TopicOptions}.
 *
 * <p>The protocol runs on one event loop thread that also carries the node's connections; no
 * call of this API waits for the network. Every method is safe to call from any thread.
 */
public final class Gossip implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Gossip.class);
  private static final Duration API_TIMEOUT = Duration.ofSeconds(30);

  private final GossipConfig config;
  private final Identity identity;
  private final EventLoopGroup group;
  private final boolean ownsGroup;
  /** Where listeners run; {@link #ownedListeners} too unless the application gave its own. */
  private final Executor listeners;
  private final ExecutorService ownedListeners;
  private final Driver driver;
  private final BroadcastJudges judges;
  private final PeerConnections connections;
  private volatile State state = State.NEW;
  private volatile NodeAddr addr;
  /** Payload bytes of broadcasts handed to the loop and not yet handled there. */
  private final AtomicLong queuedBroadcastBytes = new AtomicLong();

  private enum State { NEW, RUNNING, CLOSED }

  /** What this node advertises when none was configured: {@link #reachableAddresses}. */
  private java.util.function.Function<InetSocketAddress, List<InetSocketAddress>> addressesOfHost =
      Gossip::reachableAddresses;

  private Gossip(GossipConfig b) {
    this.config = b;
    this.identity = b.identity();
    this.ownsGroup = b.eventLoopGroup() == null;
    this.group =
        ownsGroup
            ? new MultiThreadIoEventLoopGroup(
                1,
                new DefaultThreadFactory("gossip-" + identity.nodeId().shortHex(), true),
                b.transport().ioHandlerFactory())
            : b.eventLoopGroup();
    EventLoop loop = group.next();
    this.ownedListeners = b.listenerExecutor() != null ? null
        : Executors.newCachedThreadPool(
            new DefaultThreadFactory("gossip-events-" + identity.nodeId().shortHex(), true));
    this.listeners = b.listenerExecutor() != null ? b.listenerExecutor() : ownedListeners;
    ProtocolConfig protocolConfig =
        new ProtocolConfig(b.membership(), b.broadcast(), b.maxFrameSize(), b.maxTopics());
    long seed = b.seed() != null ? b.seed() : new SecureRandom().nextLong();
    OriginSigner signer = new OriginSigner(identity, b.wallClockMillis());
    Protocol protocol =
        new Protocol(identity.nodeId(), io.gossip4j.wire.PeerData.EMPTY, protocolConfig,
            new SplittableRandom(seed), signer);
    this.judges = new BroadcastJudges(signer, b.verificationThreads(),
        identity.nodeId().shortHex());
    this.driver = new Driver(loop, protocol, signer, judges, PooledByteBufAllocator.DEFAULT,
        b.maxSubscribersPerTopic(), b.joinTimeout(),
        connectionFailures(b.connectionFailureListener(), listeners));
    TransportConfig transportConfig =
        new TransportConfig(
            b.maxFrameSize(),
            b.heartbeatInterval(),
            b.idleTimeout(),
            b.closeTimeout(),
            b.connectTimeout(),
            b.peerQueueFrames(),
            b.peerQueueBytes(),
            b.maxPendingHandshakes(),
            b.maxPendingHandshakesPerAddress(),
            b.maxConnections(),
            b.pipelineCustomizer());
    this.connections =
        new PeerConnections(
            identity.nodeId(),
            new SecureRandom().nextLong(),
            loop,
            b.transport(),
            TlsSetup.forIdentity(identity, b.handshakeTimeout(), b.tlsProvider()),
            transportConfig,
            driver);
    driver.attach(connections);
  }

  /**
   * A builder with the defaults ({@link Preset#LAN}): a fresh identity, listening on an
   * ephemeral loopback port.
   */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder with the defaults of {@code preset}, and otherwise as {@link #builder()}. */
  public static Builder builder(Preset preset) {
    Builder builder = new Builder();
    if (Objects.requireNonNull(preset, "preset") == Preset.WAN) {
      builder.heartbeatInterval = Duration.ofSeconds(2);
      builder.idleTimeout = Duration.ofSeconds(15);
      builder.connectTimeout = Duration.ofSeconds(10);
      builder.joinTimeout = Duration.ofSeconds(30);
      builder.handshakeTimeout = Duration.ofSeconds(15);
      builder.membership = HyParViewConfig.builder()
          .neighborRequestTimeout(Duration.ofSeconds(2))
          .build();
      builder.broadcast = PlumTreeConfig.builder()
          .graftTimeout1(Duration.ofMillis(250))
          .maxGraftTimeout1(Duration.ofSeconds(3))
          .graftTimeout2(Duration.ofMillis(125))
          .build();
    }
    return builder;
  }

  /**
   * Binds the listening socket and starts the node.
   *
   * @return this node
   * @throws IllegalStateException if already started or closed, or the address cannot be bound
   */
  public Gossip start() {
    synchronized (this) {
      if (state != State.NEW) {
        throw new IllegalStateException("Gossip node already " + state.name().toLowerCase());
      }
      state = State.RUNNING;
    }
    try {
      onLoop(d -> connections.bind(config.bind())).get().sync();
    } catch (Exception e) {
      close();
      throw new IllegalStateException("cannot listen on " + config.bind() + ": " + e.getMessage(),
          e);
    }
    InetSocketAddress bound = connections.localAddress();
    List<InetSocketAddress> advertised = new ArrayList<>(config.advertise());
    if (advertised.isEmpty()) {
      advertised.addAll(addressesOfHost.apply(bound));
    }
    if (!NodeAddr.fitsPeerData(advertised)) {
      close();
      throw new IllegalStateException("this host has " + advertised.size() + " addresses to "
          + "advertise for " + bound + ", more than fit the " + io.gossip4j.wire.PeerData.MAX_LENGTH
          + " bytes of peer data: set Gossip.Builder.advertise to the ones peers can reach "
          + "(they were: " + advertised + ")");
    }
    addr = new NodeAddr(identity.nodeId(), advertised);
    io.gossip4j.wire.PeerData data = addr.toPeerData();
    onLoop(d -> {
      d.submit(new io.gossip4j.proto.Input.LocalDataChanged(data));
      return null;
    }).join();
    log.info("gossip node {} listening on {}, TLS provider {}", identity.nodeId().shortHex(),
        bound, connections.tlsProvider());
    return this;
  }

  /**
   * What to tell peers when none was configured: the bound address, or, for a wildcard bind,
   * every address of this host's interfaces that are up (a wildcard is no address to dial), all
   * of them, as any one may be the only one a peer can reach.
   */
  private static List<InetSocketAddress> reachableAddresses(InetSocketAddress bound) {
    if (!bound.getAddress().isAnyLocalAddress()) {
      return List.of(bound);
    }
    List<InetSocketAddress> found = new ArrayList<>();
    try {
      for (java.net.NetworkInterface nic :
          java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces())) {
        if (!nic.isUp()) {
          continue;
        }
        for (InetAddress ip : java.util.Collections.list(nic.getInetAddresses())) {
          if (!ip.isLinkLocalAddress() && (ip instanceof java.net.Inet4Address
              || bound.getAddress() instanceof java.net.Inet6Address)) {
            found.add(new InetSocketAddress(ip, bound.getPort()));
          }
        }
      }
    } catch (java.net.SocketException e) {
      log.warn("cannot list network interfaces: {}", e.toString());
    }
    // Non-loopback first: the ones another machine can use.
    found.sort(java.util.Comparator.comparing(a -> a.getAddress().isLoopbackAddress()));
    if (found.isEmpty()) {
      found.add(new InetSocketAddress(InetAddress.getLoopbackAddress(), bound.getPort()));
    }
    return found;
  }

  /** For tests: the addresses a host of their making has, in place of this one's. */
  void addressesOfHost(
      java.util.function.Function<InetSocketAddress, List<InetSocketAddress>> finder) {
    this.addressesOfHost = finder;
  }

  /** This node's id: its Ed25519 public key. */
  public NodeId nodeId() {
    return identity.nodeId();
  }

  /** This node's address, to hand to others as a bootstrap peer. Known once started. */
  public NodeAddr addr() {
    checkRunning();
    return addr;
  }

  /**
   * The node listening at {@code address}, for peers known by address alone (a DNS name that
   * publishes no node id, say): a TLS handshake proves the node's key, then the connection
   * closes without joining anything. Whoever answers there is taken to be the peer, so use it
   * only where the address itself is trusted. Completes with the node's id and {@code address}
   * (this node's own id if the address reaches this node, as a service's list of its members
   * does), or fails with an {@link java.io.IOException} saying why (refused, timed out, not a gossip4j
   * node), within {@code connectTimeout} plus {@code handshakeTimeout}. Completed on the node's
   * event loop: do not block in its callbacks.
   */
  public CompletableFuture<NodeAddr> identify(InetSocketAddress address) {
    checkRunning();
    Objects.requireNonNull(address, "address");
    if (address.isUnresolved()) {
      throw new IllegalArgumentException("address " + address + " is unresolved");
    }
    return onLoop(d -> d.connections().identify(address)).thenCompose(found -> found)
        .thenApply(id -> new NodeAddr(id, List.of(address)));
  }

  /**
   * Subscribes to a topic with the {@linkplain TopicOptions#defaults() default options}
   * (signed), joining it through {@code bootstrap} (may be empty for the first node). Events
   * are read with {@link Topic#take()} and {@link Topic#poll(Duration)}.
   */
  public Topic subscribe(TopicId topic, Collection<NodeAddr> bootstrap) {
    return subscribe(topic, bootstrap, TopicOptions.defaults(), null);
  }

  /**
   * Subscribes to a topic with the {@linkplain TopicOptions#defaults() default options}
   * (signed); events go to {@code listener}, called from a delivery thread, one event at a
   * time, in order. A listener that falls behind gets {@link GossipEvent.Lagged}.
   */
  public Topic subscribe(
      TopicId topic, Collection<NodeAddr> bootstrap, Consumer<GossipEvent> listener) {
    return subscribe(topic, bootstrap, TopicOptions.defaults(), listener);
  }

  /**
   * Subscribes to a topic with these options; events are read with {@link Topic#take()} and
   * {@link Topic#poll(Duration)}.
   *
   * @throws IllegalArgumentException as {@link #subscribe(TopicId, Collection, TopicOptions,
   *     Consumer)}
   */
  public Topic subscribe(TopicId topic, Collection<NodeAddr> bootstrap, TopicOptions options) {
    return subscribe(topic, bootstrap, options, null);
  }

  /**
   * Subscribes to a topic with these options: whether its broadcasts are signed, its replay
   * window, its validator. Events go to {@code listener} (called from a delivery thread, one
   * event at a time, in order), or, if it is null, are read with {@link Topic#take()} and
   * {@link Topic#poll(Duration)}.
   *
   * @throws IllegalArgumentException if the topic is already subscribed on this node with
   *     other options (every subscription of a topic must use equal options: the node judges
   *     each message once for all of them), or if {@code options.replayWindow() +
   *     options.maxClockSkew()} on a signed topic exceeds the seen-message cache's retention
   *     ({@link PlumTreeConfig#seenCacheRetention()}), which would let a replayed message be
   *     delivered twice
   */
  public Topic subscribe(
      TopicId topic,
      Collection<NodeAddr> bootstrap,
      TopicOptions options,
      Consumer<GossipEvent> listener) {
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(options, "options");
    List<NodeAddr> peers = List.copyOf(bootstrap);
    checkReplayWindow(options);
    checkRunning();
    Subscriber subscriber = new Subscriber(config.subscriberQueueCapacity(), listener, listeners);
    try {
      onLoop(d -> {
        d.subscribe(topic, options, subscriber, peers);
        return null;
      }).join();
    } catch (java.util.concurrent.CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw e;
    }
    return new Topic(this, topic, subscriber, maxPayloadSize());
  }

  private void checkReplayWindow(TopicOptions options) {
    Duration seen = config.broadcast().seenCacheRetention();
    if (options.signed()
        && options.replayWindow().plus(options.maxClockSkew()).compareTo(seen) > 0) {
      throw new IllegalArgumentException("TopicOptions.replayWindow (" + options.replayWindow()
          + ") plus TopicOptions.maxClockSkew (" + options.maxClockSkew() + ") must not exceed"
          + " PlumTreeConfig.seenCacheRetention (" + seen + "): a message replayed after its"
          + " id left the seen cache could be delivered again");
    }
    Duration catchUp = config.broadcast().catchUpWindow();
    if (options.signed() && options.replayWindow().compareTo(catchUp) <= 0) {
      throw new IllegalArgumentException("TopicOptions.replayWindow (" + options.replayWindow()
          + ") must be longer than PlumTreeConfig.catchUpWindow (" + catchUp + "): messages"
          + " that catch-up fetches would be refused as replays");
    }
  }

  /** The largest broadcast payload, in bytes: the frame limit less the frame header. */
  public int maxPayloadSize() {
    return io.gossip4j.wire.BroadcastMessage.Push.maxPayloadSize(config.maxFrameSize());
  }

  /** A snapshot of this node's counters. */
  public GossipMetrics metrics() {
    checkRunning();
    return await(onLoop(GossipMetrics::snapshot));
  }

  /**
   * Leaves every topic (neighbors get DISCONNECT), closes every connection once what was
   * written is flushed, and stops the node's threads. Idempotent.
   */
  @Override
  public void close() {
    synchronized (this) {
      if (state == State.CLOSED) {
        return;
      }
      state = State.CLOSED;
    }
    try {
      CompletableFuture<List<Future<?>>> closing = new CompletableFuture<>();
      driver.loop().execute(() -> {
        try {
          driver.shutdown();
          closing.complete(connections.closeFutures());
        } catch (RuntimeException e) {
          closing.completeExceptionally(e);
        }
      });
      for (Future<?> f : closing.get(API_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        f.await(config.closeTimeout().toMillis());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException | java.util.concurrent.RejectedExecutionException e) {
      log.warn("gossip node {} did not close cleanly: {}", nodeId().shortHex(), e.toString());
    } finally {
      judges.close();
      if (ownedListeners != null) {
        ownedListeners.shutdown();
      }
      if (ownsGroup) {
        group.shutdownGracefully(0, config.closeTimeout().toMillis(), TimeUnit.MILLISECONDS)
            .awaitUninterruptibly();
      }
    }
  }

  // ---- internals shared with Topic and tests ----------------------------------------------

  /**
   * Stops at once, as a crash would: every connection is closed without DISCONNECT, queued
   * frames are dropped, and the node's threads stop. Neighbors notice the lost connections
   * and heal around this node. For demos and tests of failure handling; applications leave
   * with {@link #close()}. Idempotent, and a no-op after {@link #close()}.
   */
  public void abort() {
    synchronized (this) {
      if (state == State.CLOSED) {
        return;
      }
      state = State.CLOSED;
    }
    CompletableFuture<Void> done = new CompletableFuture<>();
    driver.loop().execute(() -> {
      connections.abort();
      done.complete(null);
    });
    done.join();
    judges.close();
    if (ownedListeners != null) {
      ownedListeners.shutdownNow();
    }
    if (ownsGroup) {
      group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).awaitUninterruptibly();
    }
  }

  /**
   * Hands a broadcast to the loop, unless {@link Builder#maxQueuedBroadcastBytes} of them are
   * waiting for it already: an application that broadcasts faster than the node can send must
   * hear of it, not fill the heap with tasks.
   */
  CompletableFuture<Void> broadcast(
      TopicId topic, byte[] payload, Scope scope, Subscriber sender) {
    int size = payload.length;
    long queued = queuedBroadcastBytes.addAndGet(size);
    if (queued > config.maxQueuedBroadcastBytes()) {
      queuedBroadcastBytes.addAndGet(-size);
      throw new RejectedExecutionException("broadcast refused: " + (queued - size)
          + " bytes of broadcasts are waiting for the node's event loop, the limit is "
          + config.maxQueuedBroadcastBytes() + " (Gossip.Builder.maxQueuedBroadcastBytes); "
          + "wait for earlier broadcasts' futures");
    }
    CompletableFuture<Void> handed = onLoop(d -> {
      d.broadcast(topic, payload, scope, sender);
      return null;
    });
    // Run, failed or refused by a closed loop: either way it waits no more.
    handed.whenComplete((v, e) -> queuedBroadcastBytes.addAndGet(-size));
    return handed;
  }

  /** The application's listener, called on the listener executor; none: nothing. */
  private static Consumer<ConnectionFailure> connectionFailures(
      Consumer<ConnectionFailure> listener, Executor executor) {
    if (listener == null) {
      return failure -> {};
    }
    return failure -> {
      try {
        executor.execute(() -> {
          try {
            listener.accept(failure);
          } catch (RuntimeException e) {
            log.warn("connection failure listener failed on {}", failure, e);
          }
        });
      } catch (RejectedExecutionException closing) {
        log.debug("connection failure not reported, the listener executor is closed: {}",
            failure);
      }
    };
  }

  /** Runs {@code action} on the event loop; the future completes with its result. */
  <T> CompletableFuture<T> onLoop(Function<Driver, T> action) {
    CompletableFuture<T> future = new CompletableFuture<>();
    try {
      driver.loop().execute(() -> {
        try {
          future.complete(action.apply(driver));
        } catch (RuntimeException e) {
          future.completeExceptionally(e);
        }
      });
    } catch (RejectedExecutionException e) {
      future.completeExceptionally(new IllegalStateException("Gossip node is closed", e));
    }
    return future;
  }

  Driver driver() {
    return driver;
  }

  /** Where listeners, and Flow subscribers, are called. */
  Executor listeners() {
    return listeners;
  }

  GossipConfig config() {
    return config;
  }

  boolean isClosed() {
    return state == State.CLOSED;
  }

  void checkRunning() {
    State s = state;
    if (s != State.RUNNING) {
      throw new IllegalStateException(
          s == State.NEW ? "Gossip node not started: call start() first" : "Gossip node is closed");
    }
  }

  private static <T> T await(CompletableFuture<T> future) {
    try {
      return future.get(API_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("the node's event loop did not answer in " + API_TIMEOUT);
    }
  }

  /**
   * Configures a {@link Gossip} node. Every setting has a default; {@link #build()} checks them
   * all and names the first that is invalid.
   */
  public static final class Builder {
    private Identity identity;
    private InetSocketAddress bind = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    private List<InetSocketAddress> advertise = List.of();
    private HyParViewConfig membership = HyParViewConfig.defaults();
    private PlumTreeConfig broadcast = PlumTreeConfig.defaults();
    private int maxFrameSize = ProtocolConfig.DEFAULT_FRAME_SIZE;
    private int subscriberQueueCapacity = 4096;
    private int maxTopics = ProtocolConfig.DEFAULT_MAX_TOPICS;
    private int maxSubscribersPerTopic = 64;
    private int verificationThreads = Runtime.getRuntime().availableProcessors();
    private int maxConnections = 1024;
    private int maxPendingHandshakes = 128;
    private int maxPendingHandshakesPerAddress = 8;
    private int peerQueueFrames = 16_384;
    private long peerQueueBytes = 32L << 20;
    private long maxQueuedBroadcastBytes = 64L << 20;
    private Duration heartbeatInterval = Duration.ofSeconds(1);
    private Duration idleTimeout = Duration.ofSeconds(5);
    private Duration handshakeTimeout = TlsSetup.DEFAULT_HANDSHAKE_TIMEOUT;
    private Duration connectTimeout = Duration.ofSeconds(5);
    private Duration joinTimeout = Duration.ofSeconds(10);
    private Duration closeTimeout = Duration.ofSeconds(5);
    private EventLoopGroup eventLoopGroup;
    private Executor listenerExecutor;
    private Consumer<ConnectionFailure> connectionFailureListener;
    private Transport transport = Transport.best();
    private TlsProvider tlsProvider = TlsProvider.AUTO;
    private Long seed;
    private LongSupplier wallClockMillis = System::currentTimeMillis;
    private PipelineCustomizer pipelineCustomizer = PipelineCustomizer.NONE;

    private Builder() {}

    /**
     * Applies settings given as properties ({@code gossip4j.bind=0.0.0.0:7000}) or environment
     * variables ({@code GOSSIP4J_BIND=0.0.0.0:7000}), so {@code configure(System.getenv())} or
     * a loaded {@code Properties} file configures a node: {@code bind}, {@code advertise}
     * (comma-separated), {@code key-file}, {@code tls-provider}, {@code max-frame-size}, {@code
     * max-topics}, {@code max-connections}, {@code verification-threads}, {@code
     * subscriber-queue-capacity}, {@code join-timeout}, {@code connect-timeout}, {@code
     * heartbeat-interval} and {@code idle-timeout} (durations as {@code 500ms}, {@code 10s},
     * {@code 2m} or {@code PT10S}). Keys without the prefix are ignored.
     *
     * @throws IllegalArgumentException naming the key, for a key with the prefix that names no
     *     setting or a value that does not parse or is out of range
     */
    public Builder configure(Map<String, String> settings) {
      BuilderSettings.apply(this, Objects.requireNonNull(settings, "settings"));
      return this;
    }

    /** The node's key pair, hence its id. Default: a new one. */
    public Builder identity(Identity value) {
      identity = Objects.requireNonNull(value, "identity");
      return this;
    }

    /** Where to listen. Default: an ephemeral port on the loopback address. */
    public Builder bind(InetSocketAddress value) {
      bind = Objects.requireNonNull(value, "bind");
      return this;
    }

    /**
     * The addresses other nodes should dial. Default: the bound address, or, bound to a
     * wildcard address, every address of this host's interfaces that are up (not link-local),
     * non-loopback first. They must fit 1,024 bytes as text (some 25 IPv6 addresses); a host
     * with more makes {@link #start()} fail, naming this setting.
     */
    public Builder advertise(List<InetSocketAddress> value) {
      advertise = List.copyOf(value);
      return this;
    }

    /** HyParView's parameters. Default: {@link HyParViewConfig#defaults()}. */
    public Builder membership(HyParViewConfig value) {
      membership = Objects.requireNonNull(value, "membership");
      return this;
    }

    /** PlumTree's parameters. Default: {@link PlumTreeConfig#defaults()}. */
    public Builder broadcast(PlumTreeConfig value) {
      broadcast = Objects.requireNonNull(value, "broadcast");
      return this;
    }

    /** Largest frame sent or accepted, 512 B to 16 MiB. Default 64 KiB. */
    public Builder maxFrameSize(int value) {
      maxFrameSize = value;
      return this;
    }

    /**
     * Where listener subscribers' events are delivered. Default: a pool of daemon threads owned
     * by the node, so a slow listener delays only itself. {@code Runnable::run} calls listeners
     * on the node's event loop, once per loop turn for everything that turn delivered, which
     * saves a thread hand-off per turn: only for listeners that are quick and never block (they
     * must not call {@link Topic#close()} or wait on a future the node completes). An executor
     * given here is not shut down by the node.
     */
    public Builder listenerExecutor(Executor value) {
      listenerExecutor = Objects.requireNonNull(value, "listenerExecutor");
      return this;
    }

    /**
     * Called for each connection this node dials that fails, with the peer, the address and
     * why: refused, timed out, unreachable, or the TLS handshake's refusal (another node
     * answering, a certificate that does not verify). Runs on the {@link #listenerExecutor},
     * needs no logging backend, and a listener that throws is logged and changes nothing.
     * Default: none (the reasons still reach {@link Topic#joined()}'s failure and the log).
     */
    public Builder connectionFailureListener(Consumer<ConnectionFailure> value) {
      connectionFailureListener = Objects.requireNonNull(value, "connectionFailureListener");
      return this;
    }

    /**
     * Threads that check the signatures of received broadcasts and run the topics' {@link
     * Validator}s, off the event loop. Default: the number of processors.
     */
    public Builder verificationThreads(int value) {
      verificationThreads = value;
      return this;
    }

    /** Events queued per subscriber before it gets {@link GossipEvent.Lagged}. Default 4096. */
    public Builder subscriberQueueCapacity(int value) {
      subscriberQueueCapacity = value;
      return this;
    }

    /** Topics subscribed at once; a subscription past it is refused. Default 1024. */
    public Builder maxTopics(int value) {
      maxTopics = value;
      return this;
    }

    /**
     * How long {@link Topic#joined()} waits for a first neighbor before it fails with a
     * {@link JoinFailedException} saying why each bootstrap address did not answer. Joining
     * goes on after that. Default 10 s: two connect timeouts and their TLS handshakes.
     */
    public Builder joinTimeout(Duration value) {
      joinTimeout = Objects.requireNonNull(value, "joinTimeout");
      return this;
    }

    /**
     * Subscriptions to one topic at once (each holds a queue of subscriberQueueCapacity
     * events); one past it is refused. Default 64.
     */
    public Builder maxSubscribersPerTopic(int value) {
      maxSubscribersPerTopic = value;
      return this;
    }

    /**
     * Open connections, in and out; an accepted connection past it is closed at once. Default
     * 1024.
     */
    public Builder maxConnections(int value) {
      maxConnections = value;
      return this;
    }

    /**
     * Accepted connections still in their TLS handshake; one past it is closed before any TLS
     * work. Default 128.
     */
    public Builder maxPendingHandshakes(int value) {
      maxPendingHandshakes = value;
      return this;
    }

    /** Accepted connections in their TLS handshake from one IP address. Default 8. */
    public Builder maxPendingHandshakesPerAddress(int value) {
      maxPendingHandshakesPerAddress = value;
      return this;
    }

    /** Frames queued for a slow peer before it is disconnected. Default 16384. */
    public Builder peerQueueFrames(int value) {
      peerQueueFrames = value;
      return this;
    }

    /** Bytes queued for a slow peer before it is disconnected. Default 32 MiB. */
    public Builder peerQueueBytes(long value) {
      peerQueueBytes = value;
      return this;
    }

    /**
     * Payload bytes of broadcasts that may wait for the node's event loop at once; past it,
     * {@link Topic#broadcast} throws {@link java.util.concurrent.RejectedExecutionException}
     * rather than queue without bound behind a loop that cannot keep up. Default 64 MiB.
     */
    public Builder maxQueuedBroadcastBytes(long value) {
      maxQueuedBroadcastBytes = value;
      return this;
    }

    /** Idle time after which a connection sends a heartbeat. Default 1 s. */
    public Builder heartbeatInterval(Duration value) {
      heartbeatInterval = value;
      return this;
    }

    /** Silence after which a peer is taken as dead. Default 5 s. */
    public Builder idleTimeout(Duration value) {
      idleTimeout = value;
      return this;
    }

    /** Longest a TLS handshake may take. Default 10 s. */
    public Builder handshakeTimeout(Duration value) {
      handshakeTimeout = value;
      return this;
    }

    /** Longest a TCP connect may take. Default 5 s. */
    public Builder connectTimeout(Duration value) {
      connectTimeout = value;
      return this;
    }

    /** Longest a closing connection waits for its peer. Default 5 s. */
    public Builder closeTimeout(Duration value) {
      closeTimeout = value;
      return this;
    }

    /**
     * Runs the node on a loop of this group, shared with other nodes (many nodes in one JVM).
     * The group is not shut down by {@link Gossip#close()}. Its I/O type must match
     * {@link #transport}: by default epoll where available, else NIO.
     */
    public Builder eventLoopGroup(EventLoopGroup value) {
      eventLoopGroup = Objects.requireNonNull(value, "eventLoopGroup");
      return this;
    }

    /**
     * The TLS implementation: BoringSSL or the JDK's. Default {@link TlsProvider#AUTO}:
     * BoringSSL where netty-tcnative-boringssl-static loads, the JDK's otherwise. The provider in
     * use is in {@link GossipMetrics#tlsProvider()} and the start-up log line. {@link
     * TlsProvider#OPENSSL} where BoringSSL does not load makes {@link #build()} fail.
     */
    public Builder tlsProvider(TlsProvider value) {
      tlsProvider = Objects.requireNonNull(value, "tlsProvider");
      return this;
    }

    /** Seeds the protocol's random choices, for reproducible tests. Default: random. */
    public Builder seed(long value) {
      seed = value;
      return this;
    }

    /**
     * The wall clock, in ms since the epoch, for the timestamps of signed broadcasts and the
     * replay window. Default {@link System#currentTimeMillis()}; tests move it.
     */
    Builder wallClockMillis(LongSupplier value) {
      wallClockMillis = Objects.requireNonNull(value, "wallClockMillis");
      return this;
    }

    /** Adds handlers below TLS in every pipeline; tests add a traffic gate. Default: none. */
    Builder pipelineCustomizer(PipelineCustomizer value) {
      pipelineCustomizer = Objects.requireNonNull(value, "pipelineCustomizer");
      return this;
    }

    /**
     * Builds the node (not started) from a copy of this builder's settings: changing or
     * reusing the builder afterwards does not change the node. Without an {@link #identity},
     * each node built gets a new one.
     *
     * @throws IllegalArgumentException naming the first invalid setting, or {@link #tlsProvider}
     *     if it is {@link TlsProvider#OPENSSL} and BoringSSL is not available
     */
    public Gossip build() {
      check("maxFrameSize", maxFrameSize, ProtocolConfig.MIN_FRAME_SIZE,
          ProtocolConfig.MAX_FRAME_SIZE);
      check("subscriberQueueCapacity", subscriberQueueCapacity, 1, 1 << 24);
      check("peerQueueFrames", peerQueueFrames, 1, 1 << 24);
      check("maxTopics", maxTopics, 1, ProtocolConfig.MAX_TOPICS);
      check("maxSubscribersPerTopic", maxSubscribersPerTopic, 1, 1 << 16);
      check("verificationThreads", verificationThreads, 1, 1024);
      check("maxConnections", maxConnections, 1, 1 << 20);
      check("maxPendingHandshakes", maxPendingHandshakes, 1, 1 << 20);
      check("maxPendingHandshakesPerAddress", maxPendingHandshakesPerAddress, 1,
          maxPendingHandshakes);
      if (maxQueuedBroadcastBytes < maxFrameSize) {
        throw new IllegalArgumentException("Gossip.Builder.maxQueuedBroadcastBytes must be at "
            + "least maxFrameSize (" + maxFrameSize + "), was " + maxQueuedBroadcastBytes);
      }
      if (peerQueueBytes < maxFrameSize) {
        throw new IllegalArgumentException("Gossip.Builder.peerQueueBytes must be at least "
            + "maxFrameSize (" + maxFrameSize + "), was " + peerQueueBytes);
      }
      positive("heartbeatInterval", heartbeatInterval);
      positive("idleTimeout", idleTimeout);
      positive("handshakeTimeout", handshakeTimeout);
      positive("connectTimeout", connectTimeout);
      positive("closeTimeout", closeTimeout);
      positive("joinTimeout", joinTimeout);
      if (idleTimeout.compareTo(heartbeatInterval.multipliedBy(2)) < 0) {
        throw new IllegalArgumentException("Gossip.Builder.idleTimeout (" + idleTimeout
            + ") must be at least twice heartbeatInterval (" + heartbeatInterval
            + "), or live peers would be taken as dead");
      }
      if (!NodeAddr.fitsPeerData(advertise)) {
        throw new IllegalArgumentException("Gossip.Builder.advertise: " + advertise.size()
            + " addresses do not fit the " + io.gossip4j.wire.PeerData.MAX_LENGTH
            + " bytes of peer data; advertise fewer");
      }
      TlsProvider resolvedTls;
      try {
        resolvedTls = TlsSetup.resolve(tlsProvider);
      } catch (IllegalStateException e) {
        throw new IllegalArgumentException("Gossip.Builder.tlsProvider is " + tlsProvider + ": "
            + e.getMessage() + "; add io.netty:netty-tcnative-boringssl-static for this platform,"
            + " or use AUTO or JDK", e);
      }
      return new Gossip(snapshot(resolvedTls));
    }

    /** What {@link #build()} hands the node: a copy, so later changes here do not reach it. */
    private GossipConfig snapshot(TlsProvider resolvedTls) {
      return new GossipConfig(
          identity != null ? identity : Identity.generate(),
          bind,
          advertise,
          membership,
          broadcast,
          maxFrameSize,
          subscriberQueueCapacity,
          maxTopics,
          maxSubscribersPerTopic,
          verificationThreads,
          maxConnections,
          maxPendingHandshakes,
          maxPendingHandshakesPerAddress,
          peerQueueFrames,
          peerQueueBytes,
          maxQueuedBroadcastBytes,
          heartbeatInterval,
          idleTimeout,
          handshakeTimeout,
          connectTimeout,
          closeTimeout,
          joinTimeout,
          eventLoopGroup,
          listenerExecutor,
          connectionFailureListener,
          transport,
          resolvedTls,
          seed,
          wallClockMillis,
          pipelineCustomizer);
    }

    private static void check(String field, long value, long min, long max) {
      if (value < min || value > max) {
        throw new IllegalArgumentException("Gossip.Builder." + field + " must be between "
            + min + " and " + max + ", was " + value);
      }
    }

    private static void positive(String field, Duration value) {
      if (value == null || value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(
            "Gossip.Builder." + field + " must be positive, was " + value);
      }
    }
  }
}
