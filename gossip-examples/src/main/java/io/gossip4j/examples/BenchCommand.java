package io.gossip4j.examples;

import io.gossip4j.examples.bench.BenchConfig;
import io.gossip4j.examples.bench.BenchResult;
import io.gossip4j.examples.bench.RawBench;
import io.gossip4j.examples.bench.SwarmBench;
import io.gossip4j.netty.TlsProvider;
import io.gossip4j.netty.tls.TlsSetup;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** {@code gossip bench}: end-to-end throughput and latency on loopback, and the raw ceiling. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Measures a swarm of N nodes on loopback in this JVM: deliveries per second, latency to "
          + "full delivery, payload copies per receiver, control traffic, bytes on the wire.",
      "--raw also measures one bare connection with the same TLS and framing: the ceiling, "
          + "with the TLS provider in use and with the JDK's."
    })
public final class BenchCommand implements Callable<Integer> {
  @Option(names = "--nodes", defaultValue = "10", description = "Nodes (default: ${DEFAULT-VALUE}).")
  int nodes;

  @Option(names = "--messages", defaultValue = "20000",
      description = "Broadcasts measured (default: ${DEFAULT-VALUE}).")
  int messages;

  @Option(names = "--size", defaultValue = "1024", description = "Payload bytes (default: ${DEFAULT-VALUE}).")
  int size;

  @Option(names = "--rate", defaultValue = "0",
      description = "Broadcasts per second, open loop; 0: as fast as a window of in-flight "
          + "broadcasts allows (default: ${DEFAULT-VALUE}).")
  int rate;

  @Option(names = "--duration", defaultValue = "0",
      description = "With --rate: run this many seconds (--messages becomes rate x duration); "
          + "0: use --messages (default: ${DEFAULT-VALUE}).")
  int duration;

  @Option(names = "--slow-subscriber",
      description = "Node 0 also gets a subscriber that reads about 1,000 events/s: it must be "
          + "told it lagged while every other subscriber gets everything. Queues keep their "
          + "default size.")
  boolean slowSubscriber;

  @Option(names = "--window", defaultValue = "256",
      description = "With --rate 0: most broadcasts in flight (default: ${DEFAULT-VALUE}).")
  int window;

  @Option(names = "--threads", defaultValue = "2",
      description = "Event loop threads shared by the nodes (default: ${DEFAULT-VALUE}).")
  int threads;

  @Option(names = "--listeners", defaultValue = "thread",
      description = "thread: events reach the benchmark's listener on the node's delivery "
          + "threads; loop: on the event loop (listenerExecutor(Runnable::run)) "
          + "(default: ${DEFAULT-VALUE}).")
  String listeners;

  @Option(names = "--tls", defaultValue = "on", converter = OnOff.class, arity = "1",
      description = "on or off; off applies to --raw only, "
      + "the library always uses TLS (default: ${DEFAULT-VALUE}).")
  boolean tls;

  @Option(names = "--tls-provider", defaultValue = "auto",
      description = "auto, jdk or openssl: the TLS implementation of the nodes and of the raw"
          + " run; auto takes BoringSSL where it loads (default: ${DEFAULT-VALUE}).")
  String tlsProvider;

  @Option(names = "--signed", defaultValue = "on", converter = OnOff.class, arity = "1",
      description = "on or off: origin signatures on every broadcast, as the library does by"
          + " default (default: ${DEFAULT-VALUE}).")
  boolean signed;

  @Option(names = "--raw", description = "Also measure the raw connection ceiling and the ratio.")
  boolean raw;

  @Option(names = "--seed", defaultValue = "1", description = "Seeds the choice of senders.")
  long seed;

  @Option(names = "--json", description = "Also print one JSON object as the last line.")
  boolean json;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    BenchConfig config;
    TlsProvider provider;
    try {
      if (duration < 0 || (duration > 0 && rate == 0)) {
        throw new IllegalArgumentException("--duration needs --rate and must be positive");
      }
      if (duration > 0) {
        messages = Math.toIntExact((long) rate * duration);
      }
      if (!listeners.equals("thread") && !listeners.equals("loop")) {
        throw new IllegalArgumentException("--listeners must be thread or loop");
      }
      provider = TlsSetup.resolve(tlsProvider(tlsProvider));
      config = new BenchConfig(nodes, messages, size, rate, tls, signed, threads,
          listeners.equals("loop"), slowSubscriber, window,
          Math.max(1000, messages / 10), seed, provider);
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    BenchResult r = new SwarmBench(config).run();
    int rawCount = Math.max(200_000, messages * 5);
    double rawFrames = raw ? RawBench.framesPerSecond(rawCount, size, tls, provider)
        : Double.NaN;
    // The JDK's ceiling in the same run: the reference every run is compared against.
    double rawJdkFrames = !raw ? Double.NaN
        : provider == TlsProvider.JDK || !tls ? rawFrames
        : RawBench.framesPerSecond(rawCount, size, tls, TlsProvider.JDK);
    row(out, "nodes / messages / size", nodes + " / " + messages + " / " + size + " B"
        + (signed ? ", signed" : ", unsigned"));
    row(out, "TLS provider", provider.name().toLowerCase(Locale.ROOT));
    row(out, "deliveries per second", fmt("%.0f", r.deliveriesPerSecond()));
    row(out, "payload MiB per second", fmt("%.1f", r.payloadMbPerSecond()));
    row(out, "time to full delivery", fmt("%.0f ms", r.durationMs()));
    row(out, "latency p50 / p99 / max", fmt("%.2f / %.2f / %.2f ms", r.latencyP50Ms(),
        r.latencyP99Ms(), r.latencyMaxMs()));
    row(out, "payload copies per receiver", fmt("%.3f", r.copiesPerReceiver()));
    row(out, "control frames per delivery", fmt("%.3f", r.controlPerDelivery()));
    row(out, "bytes on the wire per delivery", fmt("%.0f", r.bytesPerDelivery()));
    row(out, "CPU per delivery", fmt("%.1f us (%d cores)", r.cpuUsPerDelivery(),
        Runtime.getRuntime().availableProcessors()));
    row(out, "lost / duplicates", r.lost() + " / " + r.duplicates());
    row(out, "heap used before / after", fmt("%.0f / %.0f MiB", r.heapBeforeMb(), r.heapAfterMb()));
    if (!r.heapSamplesMb().isEmpty()) {
      row(out, "heap after GC, every 10 s", r.heapSamplesMb().stream()
          .map(v -> fmt("%.0f", v)).collect(Collectors.joining(" ")) + " MiB");
    }
    if (slowSubscriber) {
      row(out, "slow subscriber read / lagged", r.slowReceived() + " / " + r.slowDropped());
    }
    if (raw) {
      row(out, "raw " + (tls ? "TLS" : "plaintext") + " frames per second", fmt("%.0f", rawFrames));
      if (tls) {
        row(out, "raw JDK TLS frames per second", fmt("%.0f", rawJdkFrames));
      }
      row(out, "gossip deliveries / raw frames", fmt("%.3f", r.deliveriesPerSecond() / rawFrames));
    }
    if (json) {
      out.println(fmt("{\"system\":\"gossip4j\",\"nodes\":%d,\"messages\":%d,\"size\":%d,"
              + "\"rate\":%d,\"window\":%d,\"signed\":%b,\"tls_provider\":\"%s\","
              + "\"deliveries_per_s\":%.1f,"
              + "\"latency_p50_ms\":%.3f,\"latency_p99_ms\":%.3f,\"latency_max_ms\":%.3f,"
              + "\"copies_per_receiver\":%.4f,\"control_per_delivery\":%.4f,"
              + "\"bytes_per_delivery\":%.1f,\"cpu_us_per_delivery\":%.2f,\"cores\":%d,"
              + "\"lost\":%d,\"duplicates\":%d,\"heap_mb\":%.1f%s}",
          nodes, messages, size, rate, rate == 0 ? window : 0, signed,
          provider.name().toLowerCase(Locale.ROOT),
          r.deliveriesPerSecond(), r.latencyP50Ms(), r.latencyP99Ms(),
          r.latencyMaxMs(), r.copiesPerReceiver(), r.controlPerDelivery(), r.bytesPerDelivery(),
          r.cpuUsPerDelivery(), Runtime.getRuntime().availableProcessors(), r.lost(),
          r.duplicates(), r.heapAfterMb(),
          (slowSubscriber ? fmt(",\"slow_read\":%d,\"slow_lagged\":%d", r.slowReceived(),
              r.slowDropped()) : "")
          + fmt(",\"latency_cdf\":[%s]", r.latencyCdfMs().stream()
              .map(p -> fmt("[%s,%.3f]", p[0], p[1])).collect(Collectors.joining(",")))
          + fmt(",\"heap_before_mb\":%.1f,\"heap_samples_mb\":[%s]", r.heapBeforeMb(),
              r.heapSamplesMb().stream().map(v -> fmt("%.1f", v))
                  .collect(Collectors.joining(",")))
          + (raw ? fmt(",\"raw_frames_per_s\":%.1f,\"raw_jdk_frames_per_s\":%.1f,"
              + "\"ratio_to_raw\":%.4f", rawFrames, rawJdkFrames,
              r.deliveriesPerSecond() / rawFrames) : "")));
    }
    out.flush();
    boolean slowLagged = !slowSubscriber || r.slowDropped() > 0;
    return r.lost() == 0 && r.duplicates() == 0 && slowLagged ? 0 : 1;
  }

  private static TlsProvider tlsProvider(String name) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "auto" -> TlsProvider.AUTO;
      case "jdk" -> TlsProvider.JDK;
      case "openssl" -> TlsProvider.OPENSSL;
      default -> throw new IllegalArgumentException(
          "--tls-provider must be auto, jdk or openssl, was '" + name + "'");
    };
  }

  private static String fmt(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }

  private static void row(PrintWriter out, String name, String value) {
    out.printf(Locale.ROOT, "%-34s %s%n", name, value);
  }
}
