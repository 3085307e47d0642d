package io.gossip4j.examples;

import io.gossip4j.sim.Scenario;
import io.gossip4j.sim.Senders;
import io.gossip4j.sim.SimConfig;
import io.gossip4j.sim.SimReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code gossip sim}: runs a simulated scenario and prints the papers' metrics. */
@Command(
    name = "sim",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Simulates a swarm on virtual time and measures it as the papers do. Runs N real "
          + "protocol cores (no network) and reports reliability, RMR, LDH, latency and traffic per "
          + "broadcast, and the overlay's shape."
    })
public final class SimCommand implements Callable<Integer> {

  @Option(names = "--scenario", defaultValue = "stable",
      description = "stable, mass-failure, churn, flood or partition (default: ${DEFAULT-VALUE}).")
  String scenario;

  @Option(names = "--nodes", defaultValue = "1000", description = "Nodes (default: ${DEFAULT-VALUE}).")
  int nodes;

  @Option(names = "--cycles", defaultValue = "50",
      description = "Membership cycles before the broadcasts; for churn, the churn cycles "
          + "(default: ${DEFAULT-VALUE}).")
  int cycles;

  @Option(names = "--broadcasts", defaultValue = "1000",
      description = "Broadcasts measured (default: ${DEFAULT-VALUE}).")
  int broadcasts;

  @Option(names = "--fail", split = ",", paramLabel = "FRACTION[,FRACTION...]",
      description = "mass-failure: share of nodes that crash at once; a list runs a sweep "
          + "(default: 0.8).")
  List<Double> fail = new ArrayList<>();

  @Option(names = "--split", defaultValue = "0.5",
      description = "partition: share of the nodes on one side of the cut (default: ${DEFAULT-VALUE}).")
  double split;

  @Option(names = "--cut-s", defaultValue = "60",
      description = "partition: seconds the network stays cut; the broadcasts are spread over "
          + "them (default: ${DEFAULT-VALUE}).")
  long cutS;

  @Option(names = "--churn", defaultValue = "50",
      description = "churn: nodes that crash and nodes that join per cycle (default: ${DEFAULT-VALUE}).")
  int churn;

  @Option(names = "--churn-joins", paramLabel = "K",
      description = "churn: nodes that join per cycle (default: as many as crash).")
  Integer churnJoins;

  @Option(names = "--senders", defaultValue = "single",
      description = "single, random or all (all send at once) (default: ${DEFAULT-VALUE}).")
  Senders senders;

  @Option(names = "--seed", defaultValue = "1", description = "Seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--interval-ms", defaultValue = "50",
      description = "Virtual ms between broadcasts (default: ${DEFAULT-VALUE}).")
  long intervalMs;

  @Option(names = "--cycle-ms", defaultValue = "1000",
      description = "Virtual ms of one membership cycle, the shuffle interval (default: ${DEFAULT-VALUE}).")
  long cycleMs;

  @Option(names = "--join-window-s", defaultValue = "10",
      description = "Virtual seconds over which the initial nodes join, one after another "
          + "through the first (default: ${DEFAULT-VALUE}). The papers' overlays come from "
          + "joins far enough apart not to overlap: about 0.1 s per node.")
  long joinWindowS;

  @Option(names = "--payload", defaultValue = "256",
      description = "Payload bytes per broadcast, at least 4 (default: ${DEFAULT-VALUE}).")
  int payload;

  @Option(names = "--latency-ms", defaultValue = "10-50", paramLabel = "MIN-MAX",
      description = "Range each link's latency is drawn from (default: ${DEFAULT-VALUE}).")
  String latency;

  @Option(names = "--loss", defaultValue = "0",
      description = "Probability that a message is lost (default: ${DEFAULT-VALUE}).")
  double loss;

  @Option(names = "--threads", paramLabel = "N",
      description = "Threads to run on (default: the processors, ${DEFAULT-VALUE} here); the "
          + "results are the same for any number.")
  int threads = Runtime.getRuntime().availableProcessors();

  @Option(names = "--json", description = "Print one JSON object as the last line.")
  boolean json;

  @Option(names = "--csv", paramLabel = "FILE",
      description = "Write per-broadcast rows (a sweep: one row per run) as CSV.")
  Path csv;

  @Option(names = "--plot", paramLabel = "FILE.svg",
      description = "Write an SVG: RMR and LDH over the broadcasts (a sweep: reliability "
          + "against the failure fraction).")
  Path plot;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    Scenario chosen = scenario();
    List<Double> fractions = fail.isEmpty() ? List.of(0.8) : fail;
    boolean sweep = chosen.name().equals("mass-failure") && fractions.size() > 1;
    PrintWriter out = spec.commandLine().getOut();
    List<ReportFormat.Run> runs = new ArrayList<>();
    long start = System.nanoTime();
    for (double fraction : chosen.name().equals("mass-failure") ? fractions : List.of(0.0)) {
      SimConfig config = config(fraction);
      long runStart = System.nanoTime();
      SimReport report = chosen.run(config);
      runs.add(new ReportFormat.Run(report, (System.nanoTime() - runStart) / 1_000_000));
    }
    long wallMs = (System.nanoTime() - start) / 1_000_000;
    long heapMb = peakHeapMb();
    if (sweep) {
      out.print(ReportFormat.sweepTable(runs));
    } else {
      out.print(ReportFormat.table(runs.get(0)));
    }
    if (csv != null) {
      Files.writeString(csv, sweep ? ReportFormat.sweepCsv(runs) : ReportFormat.broadcastCsv(
          runs.get(0).report()), StandardCharsets.UTF_8);
    }
    if (plot != null) {
      Files.writeString(plot, sweep ? Plots.reliabilityAgainstFailures(runs)
          : Plots.rmrAndLdhOverBroadcasts(runs.get(0).report()), StandardCharsets.UTF_8);
    }
    if (json) {
      out.println(sweep ? ReportFormat.sweepJson(runs, wallMs, heapMb)
          : ReportFormat.json(runs.get(0).report(), wallMs, heapMb));
    }
    out.flush();
    return 0;
  }

  private Scenario scenario() {
    try {
      return Scenario.named(scenario);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  private SimConfig config(double fraction) {
    String[] range = latency.split("-", 2);
    try {
      long min = Long.parseLong(range[0].trim());
      long max = range.length > 1 ? Long.parseLong(range[1].trim()) : min;
      boolean churning = scenario.equals("churn");
      SimConfig.Builder config = SimConfig.builder()
          .nodes(nodes)
          .cycles(cycles)
          .broadcasts(broadcasts)
          .senders(senders)
          .failFraction(fraction)
          .churnPerCycle(churning ? churn : 0)
          .seed(seed)
          .cycle(Duration.ofMillis(cycleMs))
          .joinWindow(Duration.ofSeconds(joinWindowS))
          .broadcastInterval(Duration.ofMillis(intervalMs))
          .payloadBytes(payload)
          .latency(Duration.ofMillis(min), Duration.ofMillis(max))
          .lossRate(loss)
          .threads(threads)
          .split(split)
          .cut(Duration.ofSeconds(cutS));
      if (churning && churnJoins != null) {
        config.joinsPerCycle(churnJoins); // otherwise as many as crash, the builder's default
      }
      return config.build();
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  /** Peak heap in use, MiB: the sum of the heap pools' peaks (an upper bound). */
  static long peakHeapMb() {
    long bytes = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
        bytes += pool.getPeakUsage().getUsed();
      }
    }
    return bytes >> 20;
  }
}
