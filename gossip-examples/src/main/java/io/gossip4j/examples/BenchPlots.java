package io.gossip4j.examples;

import io.gossip4j.examples.Plots.Panel;
import io.gossip4j.examples.Plots.Reference;
import io.gossip4j.examples.Plots.Series;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The benchmarks' plots, drawn from the JSON lines of {@code gossip bench --json} and of the
 * ScaleCube harness: throughput and latency against the number of nodes, and the latency
 * distribution at a light load and at saturation. Runs of the same kind and size are combined
 * by their median.
 */
final class BenchPlots {
  private BenchPlots() {}

  /** One measured configuration's line in the plots. */
  private record Kind(String name, String color, Predicate<Map<String, Object>> matches) {}

  private static final List<Kind> KINDS = List.of(
      new Kind("gossip4j signed (default)", "#1f77b4",
          r -> isGossip4j(r) && Boolean.TRUE.equals(r.get("signed"))),
      new Kind("gossip4j unsigned", "#2ca02c",
          r -> isGossip4j(r) && Boolean.FALSE.equals(r.get("signed"))),
      new Kind("ScaleCube 2.7.7", "#9467bd",
          r -> String.valueOf(r.get("system")).startsWith("scalecube")));

  /** The node count whose latency distributions are drawn, if it was measured. */
  private static final int CDF_NODES = 10;

  /** {@link #CDF_NODES} if measured, else the largest swarm with a latency distribution. */
  private static double cdfNodes(List<Map<String, Object>> runs) {
    double largest = 0;
    for (Map<String, Object> r : runs) {
      if (r.get("latency_cdf") != null) {
        if (number(r, "nodes") == CDF_NODES) {
          return CDF_NODES;
        }
        largest = Math.max(largest, number(r, "nodes"));
      }
    }
    return largest;
  }

  /** Throughput, p50 and p99 latency against the number of nodes. */
  static String againstNodes(List<Map<String, Object>> runs) {
    List<Series> throughput = new ArrayList<>();
    List<Series> p50 = new ArrayList<>();
    List<Series> p99 = new ArrayList<>();
    double rate = 0;
    double window = 0;
    for (Kind kind : KINDS) {
      add(throughput, kind, runs, BenchPlots::closedLoop, "deliveries_per_s");
      add(p50, kind, runs, BenchPlots::openLoop, "latency_p50_ms");
      add(p99, kind, runs, BenchPlots::openLoop, "latency_p99_ms");
    }
    for (Map<String, Object> r : runs) {
      rate = openLoop(r) ? number(r, "rate") : rate;
      window = closedLoop(r) && isGossip4j(r) ? number(r, "window") : window;
    }
    List<Reference> ceilings = new ArrayList<>();
    Double boring = median(runs, r -> isGossip4j(r) && r.containsKey("raw_frames_per_s")
        && "openssl".equals(r.get("tls_provider")), "raw_frames_per_s");
    Double jdk = median(runs, r -> isGossip4j(r) && r.containsKey("raw_jdk_frames_per_s"),
        "raw_jdk_frames_per_s");
    if (boring != null) {
      ceilings.add(new Reference("raw TLS frames/s, BoringSSL", "#d62728", boring));
    }
    if (jdk != null) {
      ceilings.add(new Reference("raw, JDK", "#ff7f0e", jdk));
    }
    String open = String.format(Locale.ROOT, "%.0f broadcasts/s", rate);
    return Plots.svg(List.of(
        new Panel(String.format(Locale.ROOT,
                "Deliveries per second (closed loop, %.0f broadcasts in flight)", window),
            "nodes", "deliveries per second (log)", decadeBelow(throughput, ceilings),
            decadeAbove(throughput, ceilings), true, throughput, ceilings),
        new Panel("Latency p50, send to the last delivery, at " + open, "nodes",
            "ms (log)", decadeBelow(p50, List.of()), decadeAbove(p50, List.of()), true, p50,
            List.of()),
        new Panel("Latency p99, send to the last delivery, at " + open, "nodes",
            "ms (log)", decadeBelow(p99, List.of()), decadeAbove(p99, List.of()), true, p99,
            List.of())));
  }

  /** The latency distribution at a light load (open loop) and at saturation (closed loop). */
  static String latencyDistribution(List<Map<String, Object>> runs) {
    List<Panel> panels = new ArrayList<>();
    double nodes = cdfNodes(runs);
    for (boolean light : new boolean[] {true, false}) {
      List<Series> lines = new ArrayList<>();
      String load = "";
      for (Kind kind : KINDS) {
        Map<String, Object> run = null;
        for (Map<String, Object> r : runs) {
          if (kind.matches().test(r) && number(r, "nodes") == nodes
              && (light ? openLoop(r) : closedLoop(r)) && r.get("latency_cdf") != null) {
            run = r;
          }
        }
        if (run == null) {
          continue;
        }
        List<double[]> points = new ArrayList<>();
        for (Object pair : (List<?>) run.get("latency_cdf")) {
          List<?> p = (List<?>) pair;
          points.add(new double[] {((Number) p.get(1)).doubleValue(),
              ((Number) p.get(0)).doubleValue()});
        }
        lines.add(new Series(kind.name(), kind.color(), points));
        if (isGossip4j(run)) {
          load = light
              ? String.format(Locale.ROOT, "%.0f broadcasts/s", number(run, "rate"))
              : String.format(Locale.ROOT, "closed loop, %.0f in flight", number(run, "window"));
        }
      }
      panels.add(new Panel(String.format(Locale.ROOT, "Latency distribution, %.0f nodes, %s",
              nodes, load),
          "latency, send to the last delivery (ms, log)", "share of broadcasts", 0, 1, true,
          false, lines, List.of()));
    }
    return Plots.svg(panels);
  }

  private static void add(List<Series> to, Kind kind, List<Map<String, Object>> runs,
      Predicate<Map<String, Object>> mode, String field) {
    TreeMap<Double, List<Double>> byNodes = new TreeMap<>();
    for (Map<String, Object> r : runs) {
      if (kind.matches().test(r) && mode.test(r) && r.get(field) instanceof Number n) {
        byNodes.computeIfAbsent(number(r, "nodes"), k -> new ArrayList<>()).add(n.doubleValue());
      }
    }
    if (byNodes.isEmpty()) {
      return;
    }
    List<double[]> points = new ArrayList<>();
    byNodes.forEach((nodes, values) -> points.add(new double[] {nodes, median(values)}));
    to.add(new Series(kind.name(), kind.color(), points));
  }

  private static boolean isGossip4j(Map<String, Object> r) {
    return "gossip4j".equals(r.get("system"));
  }

  private static boolean openLoop(Map<String, Object> r) {
    return number(r, "rate") > 0;
  }

  /** A closed-loop swarm run; a run that also measured the raw ceiling is drawn only as that. */
  private static boolean closedLoop(Map<String, Object> r) {
    return number(r, "rate") == 0 && !r.containsKey("raw_frames_per_s");
  }

  private static double number(Map<String, Object> r, String field) {
    return r.get(field) instanceof Number n ? n.doubleValue() : 0;
  }

  private static Double median(List<Map<String, Object>> runs, Predicate<Map<String, Object>> which,
      String field) {
    List<Double> values = new ArrayList<>();
    for (Map<String, Object> r : runs) {
      if (which.test(r) && r.get(field) instanceof Number n) {
        values.add(n.doubleValue());
      }
    }
    return values.isEmpty() ? null : median(values);
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(null);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  /** The decade at or below every value: the bottom of a log axis. */
  private static double decadeBelow(List<Series> series, List<Reference> references) {
    double min = Double.MAX_VALUE;
    for (Series s : series) {
      for (double[] p : s.points()) {
        min = Math.min(min, p[1]);
      }
    }
    for (Reference r : references) {
      min = Math.min(min, r.y());
    }
    return min == Double.MAX_VALUE || min <= 0 ? 0.1
        : Math.pow(10, Math.floor(Math.log10(min)));
  }

  /** The decade at or above every value: the top of a log axis. */
  private static double decadeAbove(List<Series> series, List<Reference> references) {
    double max = 0;
    for (Series s : series) {
      for (double[] p : s.points()) {
        max = Math.max(max, p[1]);
      }
    }
    for (Reference r : references) {
      max = Math.max(max, r.y());
    }
    return max <= 0 ? 1 : Math.pow(10, Math.ceil(Math.log10(max)));
  }
}
