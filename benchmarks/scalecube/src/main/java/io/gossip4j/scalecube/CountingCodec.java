package io.gossip4j.scalecube;

import io.scalecube.cluster.transport.api.JdkMessageCodec;
import io.scalecube.cluster.transport.api.Message;
import io.scalecube.cluster.transport.api.MessageCodec;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;

/**
 * ScaleCube's default codec (Java serialization, {@link JdkMessageCodec}) that counts what one
 * node receives: frames, bytes, and each copy of a benchmark broadcast inside a gossip request.
 *
 * <p>ScaleCube drops a gossip it has seen before it reaches the application, so the wire is the
 * only place to count redundant copies. A gossip request's classes are package-private in
 * ScaleCube ({@code GossipRequest.gossips()}, {@code Gossip.message()}); they are read by
 * reflection, on the classpath, where nothing forbids it.
 */
final class CountingCodec implements MessageCodec {
  static final String GOSSIP_REQUEST = "sc/gossip/req";
  /** The failure detector's probes: liveness, as heartbeats are for gossip4j. */
  private static final Set<String> PROBES =
      Set.of("sc/fdetector/ping", "sc/fdetector/pingReq", "sc/fdetector/pingAck");
  private static final int LENGTH_PREFIX_BYTES = 4;
  private static final Method GOSSIPS =
      method("io.scalecube.cluster.gossip.GossipRequest", "gossips");
  private static final Method MESSAGE = method("io.scalecube.cluster.gossip.Gossip", "message");

  private final MessageCodec codec = new JdkMessageCodec();
  private final String benchQualifier;
  private final IntConsumer onBenchCopy;
  private final AtomicLong frames = new AtomicLong();
  private final AtomicLong bytes = new AtomicLong();
  private final AtomicLong benchFrames = new AtomicLong();
  private final AtomicLong benchCopies = new AtomicLong();
  private final AtomicLong probes = new AtomicLong();

  /**
   * @param benchQualifier the qualifier of the benchmark's broadcasts
   * @param onBenchCopy called with the sequence number of every copy of a broadcast received
   */
  CountingCodec(String benchQualifier, IntConsumer onBenchCopy) {
    this.benchQualifier = benchQualifier;
    this.onBenchCopy = onBenchCopy;
  }

  /**
   * What one node (or several) received.
   *
   * @param frames every frame
   * @param bytes frame bodies and length prefixes
   * @param benchFrames gossip requests carrying at least one benchmark broadcast
   * @param benchCopies benchmark broadcasts in gossip requests (ScaleCube 2.7 sends one gossip
   *     per request, so the same as benchFrames)
   * @param probes failure-detector pings, indirect pings and acks
   */
  record Counts(long frames, long bytes, long benchFrames, long benchCopies, long probes) {
    static final Counts ZERO = new Counts(0, 0, 0, 0, 0);

    Counts plus(Counts o) {
      return new Counts(frames + o.frames, bytes + o.bytes, benchFrames + o.benchFrames,
          benchCopies + o.benchCopies, probes + o.probes);
    }

    Counts minus(Counts o) {
      return new Counts(frames - o.frames, bytes - o.bytes, benchFrames - o.benchFrames,
          benchCopies - o.benchCopies, probes - o.probes);
    }
  }

  Counts counts() {
    return new Counts(frames.get(), bytes.get(), benchFrames.get(), benchCopies.get(),
        probes.get());
  }

  @Override
  public Message deserialize(InputStream stream) throws Exception {
    // The transport hands over one whole frame (a ByteBufInputStream): available() is its size.
    long frameBytes = stream.available();
    Message message = codec.deserialize(stream);
    frames.incrementAndGet();
    bytes.addAndGet(frameBytes + LENGTH_PREFIX_BYTES);
    String qualifier = message.qualifier();
    if (GOSSIP_REQUEST.equals(qualifier)) {
      boolean bench = false;
      for (Object gossip : (List<?>) invoke(GOSSIPS, message.data())) {
        Message inner = (Message) invoke(MESSAGE, gossip);
        if (benchQualifier.equals(inner.qualifier())) {
          bench = true;
          benchCopies.incrementAndGet();
          onBenchCopy.accept(ScaleCubeBench.sequence(inner.data()));
        }
      }
      if (bench) {
        benchFrames.incrementAndGet();
      }
    } else if (PROBES.contains(qualifier)) {
      probes.incrementAndGet();
    }
    return message;
  }

  @Override
  public void serialize(Message message, OutputStream stream) throws Exception {
    codec.serialize(message, stream);
  }

  private static Method method(String className, String name) {
    try {
      Method m = Class.forName(className).getMethod(name);
      m.setAccessible(true);
      return m;
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new IllegalStateException("ScaleCube's " + className + "." + name + "() not found "
          + "(the bench reads gossip requests of scalecube-cluster 2.7.x)", e);
    }
  }

  private static Object invoke(Method m, Object target) throws IllegalAccessException {
    try {
      return m.invoke(target);
    } catch (InvocationTargetException e) {
      throw new IllegalStateException(m + " failed", e.getCause());
    }
  }
}
