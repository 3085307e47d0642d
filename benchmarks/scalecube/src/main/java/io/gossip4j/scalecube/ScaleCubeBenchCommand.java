package io.gossip4j.scalecube;

import io.scalecube.cluster.ClusterImpl;
import io.scalecube.cluster.gossip.GossipConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code scalecube-bench}: ScaleCube cluster's gossip measured as {@code gossip bench} measures
 * gossip4j's, with the same rows and JSON fields.
 */
@Command(
    name = "scalecube-bench",
    mixinStandardHelpOptions = true,
    versionProvider = ScaleCubeBenchCommand.Version.class,
    sortOptions = false,
    description = {
      "Measures ScaleCube cluster's gossip (Cluster.spreadGossip) on N members on 127.0.0.1 in "
          + "this JVM as `gossip bench` measures gossip4j: deliveries per second, latency to "
          + "full delivery, payload copies per receiver, control traffic, bytes on the wire.",
      "ScaleCube runs as configured by its preset (default: LAN, what new ClusterImpl() runs): "
          + "plain TCP, Java serialization, no TLS, no signatures."
    })
public final class ScaleCubeBenchCommand implements Callable<Integer> {
  @Option(names = "--nodes", defaultValue = "10",
      description = "Members (default: ${DEFAULT-VALUE}).")
  int nodes;

  @Option(names = "--messages", defaultValue = "20000",
      description = "Broadcasts measured (default: ${DEFAULT-VALUE}).")
  int messages;

  @Option(names = "--size", defaultValue = "1024",
      description = "Payload bytes (default: ${DEFAULT-VALUE}).")
  int size;

  @Option(names = "--rate", defaultValue = "0",
      description = "Broadcasts per second, open loop; 0: as fast as a window of in-flight "
          + "broadcasts allows (default: ${DEFAULT-VALUE}).")
  int rate;

  @Option(names = "--window", defaultValue = "256",
      description = "With --rate 0, and in the warm-up: most broadcasts in flight; one leaves "
          + "when every other member has delivered it (default: ${DEFAULT-VALUE}).")
  int window;

  @Option(names = "--warmup",
      description = "Broadcasts sent and awaited before measuring (default: the larger of "
          + "1000 and a tenth of --messages, as gossip bench).")
  Integer warmup;

  @Option(names = "--seed", defaultValue = "1", description = "Seeds the choice of senders.")
  long seed;

  @Option(names = "--preset", defaultValue = "lan",
      description = "ScaleCube's configuration preset: lan (its default), local (loopback: "
          + "gossip every 100 ms, repeat mult 2) or wan (default: ${DEFAULT-VALUE}).")
  BenchConfig.Preset preset;

  @Option(names = "--gossip-interval-ms",
      description = "GossipConfig.gossipInterval, ms between gossip rounds (default: the "
          + "preset's; LAN 200).")
  Long gossipIntervalMs;

  @Option(names = "--gossip-fanout",
      description = "GossipConfig.gossipFanout, members gossiped to per round (default: the "
          + "preset's; LAN 3).")
  Integer gossipFanout;

  @Option(names = "--gossip-repeat-mult",
      description = "GossipConfig.gossipRepeatMult: a gossip is re-sent for repeatMult x "
          + "ceil(log2 nodes) rounds (default: the preset's; LAN 3).")
  Integer gossipRepeatMult;

  @Option(names = "--send-limit-s", defaultValue = "600",
      description = "Stop sending measured broadcasts after this many seconds and report what "
          + "was sent (default: ${DEFAULT-VALUE}).")
  int sendLimitSeconds;

  @Option(names = "--json", description = "Also print one JSON object as the last line.")
  boolean json;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The command line, case-insensitive about enum values (--preset LAN or lan). */
  public static CommandLine commandLine() {
    return new CommandLine(new ScaleCubeBenchCommand()).setCaseInsensitiveEnumValuesAllowed(true);
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    BenchConfig config;
    try {
      GossipConfig gossip = preset.clusterConfig().gossipConfig();
      config = new BenchConfig(nodes, messages, size, rate, window,
          warmup != null ? warmup : Math.max(1000, messages / 10), seed, preset,
          gossipIntervalMs != null ? gossipIntervalMs : gossip.gossipInterval(),
          gossipFanout != null ? gossipFanout : gossip.gossipFanout(),
          gossipRepeatMult != null ? gossipRepeatMult : gossip.gossipRepeatMult(),
          Duration.ofSeconds(sendLimitSeconds));
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    BenchResult r = new ScaleCubeBench(config).run();
    String system = "scalecube-cluster " + scalecubeVersion();
    row(out, "system", system);
    row(out, "nodes / messages / size", nodes + " / " + messages + " / " + size
        + " B, unsigned, no TLS");
    row(out, "gossip interval / fanout / repeat", fmt("%d ms / %d / %d (preset %s)",
        config.gossipIntervalMs(), config.gossipFanout(), config.gossipRepeatMult(),
        presetName()));
    row(out, "load", rate > 0 ? "open loop, " + rate + " broadcasts/s"
        : "closed loop, window " + window);
    if (r.stopReason() != null) {
      row(out, "sent", r.sent() + " of " + messages + " (" + r.stopReason() + ")");
    }
    row(out, "deliveries per second", fmt("%.0f", r.deliveriesPerSecond()));
    row(out, "payload MiB per second", fmt("%.1f", r.payloadMbPerSecond()));
    row(out, "time to full delivery", fmt("%.0f ms", r.durationMs()));
    row(out, "latency p50 / p99 / max", fmt("%.2f / %.2f / %.2f ms", r.latencyP50Ms(),
        r.latencyP99Ms(), r.latencyMaxMs()));
    row(out, "payload copies per receiver", fmt("%.3f (on the wire; listener saw %.3f)",
        r.copiesPerReceiver(), r.listenerCopiesPerReceiver()));
    row(out, "control frames per delivery", fmt("%.3f", r.controlPerDelivery()));
    row(out, "bytes on the wire per delivery", fmt("%.0f", r.bytesPerDelivery()));
    row(out, "CPU per delivery", fmt("%.1f us (%d cores)", r.cpuUsPerDelivery(),
        Runtime.getRuntime().availableProcessors()));
    row(out, "lost / duplicates", r.lost() + " / " + r.duplicates());
    row(out, "members removed while measuring", String.valueOf(r.membersRemoved()));
    row(out, "heap used before / after", fmt("%.0f / %.0f MiB", r.heapBeforeMb(), r.heapAfterMb()));
    if (!r.heapSamplesMb().isEmpty()) {
      row(out, "heap after GC, every 10 s", r.heapSamplesMb().stream()
          .map(v -> fmt("%.0f", v)).collect(Collectors.joining(" ")) + " MiB");
    }
    if (json) {
      out.println(json(system, r));
    }
    out.flush();
    boolean complete = r.sent() == messages && r.stopReason() == null;
    return r.lost() == 0 && r.duplicates() == 0 && complete ? 0 : 1;
  }

  private String json(String system, BenchResult r) {
    BenchConfig c = r.config();
    return fmt("{\"system\":\"%s\",\"nodes\":%d,\"messages\":%d,\"sent\":%d,\"size\":%d,"
            + "\"signed\":false,\"tls_provider\":\"none\",\"rate\":%d,\"window\":%d,"
            + "\"warmup\":%d,\"seed\":%d,\"preset\":\"%s\",\"gossip_interval_ms\":%d,"
            + "\"gossip_fanout\":%d,\"gossip_repeat_mult\":%d,"
            + "\"deliveries_per_s\":%s,\"duration_ms\":%s,"
            + "\"latency_p50_ms\":%s,\"latency_p99_ms\":%s,\"latency_max_ms\":%s,"
            + "\"copies_per_receiver\":%s,\"listener_copies_per_receiver\":%s,"
            + "\"control_per_delivery\":%s,"
            + "\"bytes_per_delivery\":%s,\"cpu_us_per_delivery\":%s,\"cores\":%d,"
            + "\"lost\":%d,\"duplicates\":%d,\"members_removed\":%d,"
            + "\"heap_mb\":%s,\"heap_before_mb\":%s,"
            + "\"heap_samples_mb\":[%s],\"latency_cdf\":[%s]%s}",
        system, c.nodes(), c.messages(), r.sent(), c.size(), c.rate(), c.window(), c.warmup(),
        c.seed(), presetName(), c.gossipIntervalMs(), c.gossipFanout(), c.gossipRepeatMult(),
        num("%.1f", r.deliveriesPerSecond()), num("%.1f", r.durationMs()),
        num("%.3f", r.latencyP50Ms()), num("%.3f", r.latencyP99Ms()),
        num("%.3f", r.latencyMaxMs()), num("%.4f", r.copiesPerReceiver()),
        num("%.4f", r.listenerCopiesPerReceiver()), num("%.4f", r.controlPerDelivery()),
        num("%.1f", r.bytesPerDelivery()), num("%.2f", r.cpuUsPerDelivery()),
        Runtime.getRuntime().availableProcessors(), r.lost(), r.duplicates(),
        r.membersRemoved(), num("%.1f", r.heapAfterMb()), num("%.1f", r.heapBeforeMb()),
        r.heapSamplesMb().stream().map(v -> num("%.1f", v)).collect(Collectors.joining(",")),
        r.latencyCdfMs().stream().map(p -> fmt("[%s,%s]", p[0], num("%.3f", p[1])))
            .collect(Collectors.joining(",")),
        r.stopReason() == null ? "" : ",\"stopped\":\"" + r.stopReason() + "\"");
  }

  /** A JSON number, or null for NaN (nothing delivered), which JSON has no literal for. */
  private static String num(String format, double v) {
    return Double.isNaN(v) ? "null" : fmt(format, v);
  }

  /** {@code --version}: the harness measures whichever scalecube-cluster is on the classpath. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"scalecube-bench, scalecube-cluster " + scalecubeVersion()};
    }
  }

  private String presetName() {
    return preset.name().toLowerCase(Locale.ROOT);
  }

  /** The version of the scalecube-cluster jar on the classpath, from its Maven metadata. */
  static String scalecubeVersion() {
    String path = "/META-INF/maven/io.scalecube/scalecube-cluster/pom.properties";
    try (InputStream in = ClusterImpl.class.getResourceAsStream(path)) {
      if (in == null) {
        return "unknown";
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }

  private static String fmt(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }

  private static void row(PrintWriter out, String name, String value) {
    out.printf(Locale.ROOT, "%-34s %s%n", name, value);
  }
}
