package io.gossip4j.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./gossip plot}: the benchmark plots from the JSON lines of the runs. */
class PlotCommandTest {

  @Test
  void theJsonOfRealBenchRunsBecomesBothPlots(@TempDir Path dir) throws Exception {
    StringBuilder lines = new StringBuilder("a line that is not JSON is skipped\n");
    for (String[] args : List.of(
        new String[] {"--nodes", "3", "--messages", "200", "--signed", "on"},
        new String[] {"--nodes", "3", "--messages", "200", "--signed", "off"},
        new String[] {"--nodes", "3", "--messages", "100", "--rate", "500", "--signed", "on",
            "--raw"})) {
      String[] bench = new String[args.length + 2];
      bench[0] = "bench";
      System.arraycopy(args, 0, bench, 1, args.length);
      bench[bench.length - 1] = "--json";
      CliRun run = CliRun.of(bench);
      assertThat(run.exitCode()).as(run.err()).isZero();
      lines.append(run.lastLine()).append('\n');
    }
    Path results = dir.resolve("results.jsonl");
    Files.writeString(results, lines);

    CliRun plot = CliRun.of("plot", results.toString(), "--out", dir.toString());
    assertThat(plot.exitCode()).as(plot.err()).isZero();
    assertThat(plot.out()).contains("3 runs read");
    String nodes = Files.readString(dir.resolve("bench-nodes.svg"));
    assertThat(nodes).startsWith("<svg")
        .contains("gossip4j signed (default)", "gossip4j unsigned", "raw TLS frames/s",
            "closed loop, 256 broadcasts in flight", "at 500 broadcasts/s");
    String cdf = Files.readString(dir.resolve("bench-latency-cdf.svg"));
    assertThat(cdf).contains("Latency distribution, 3 nodes, 500 broadcasts/s",
        "Latency distribution, 3 nodes, closed loop, 256 in flight", "share of broadcasts");
  }

  @Test
  void everyKindIsALineByNodesWithTheMedianOfRepeatedRuns() {
    List<Map<String, Object>> runs = List.of(
        run("gossip4j", true, 5, 1000, 0.5), run("gossip4j", true, 10, 800, 0.6),
        run("gossip4j", true, 10, 900, 0.6), run("gossip4j", true, 10, 600, 0.6),
        run("gossip4j", false, 10, 3000, 0.2),
        run("scalecube-cluster 2.7.7", false, 10, 50, 120));
    String svg = BenchPlots.againstNodes(runs);
    assertThat(svg).contains("ScaleCube 2.7.7", "gossip4j unsigned");
    // Log axes at whole decades: 10 to 10,000 deliveries per second here.
    assertThat(svg).contains(">10<", ">100<", ">1000<", ">10000<");
    // The three runs at 10 nodes are drawn at their median, 800: not their mean (767) nor the
    // last (600).
    assertThat(BenchPlots.againstNodes(List.of(run("gossip4j", true, 10, 800, 0.6),
        run("gossip4j", true, 5, 1000, 0.5), run("gossip4j", false, 10, 3000, 0.2),
        run("scalecube-cluster 2.7.7", false, 10, 50, 120)))).isEqualTo(svg);
  }

  @Test
  void aFileWithoutJsonLinesOrNotReadableIsAUsageError(@TempDir Path dir) throws Exception {
    Path empty = dir.resolve("empty.jsonl");
    Files.writeString(empty, "nothing here\n");
    CliRun none = CliRun.of("plot", empty.toString());
    assertThat(none.exitCode()).isEqualTo(2);
    assertThat(none.err()).contains("no JSON lines in");
    CliRun missing = CliRun.of("plot", dir.resolve("missing.jsonl").toString());
    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.err()).contains("cannot read");
  }

  @Test
  void jsonIsReadAsTheBenchmarksWriteItAndAnythingElseFailsWithThePosition() {
    Map<String, Object> r = Json.object(
        "{\"a\":1.5,\"b\":[[0.5,2],[1.0,3e1]],\"s\":\"x\\\"y\",\"t\":true,\"n\":null}");
    assertThat(r.get("a")).isEqualTo(1.5);
    assertThat(r.get("b")).isEqualTo(List.of(List.of(0.5, 2.0), List.of(1.0, 30.0)));
    assertThat(r.get("s")).isEqualTo("x\"y");
    assertThat(r.get("t")).isEqualTo(Boolean.TRUE);
    assertThat(r).containsEntry("n", null);
    assertThatThrownBy(() -> Json.object("{\"a\":1,}"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at character 7");
    assertThatThrownBy(() -> Json.object("{\"a\":1} x"))
        .hasMessageContaining("text after the value");
    assertThatThrownBy(() -> Json.object("[1]")).hasMessageContaining("not a JSON object");
  }

  private static Map<String, Object> run(String system, boolean signed, int nodes,
      double deliveries, double p99) {
    return Map.of("system", system, "signed", signed, "nodes", (double) nodes, "rate", 0.0,
        "window", 64.0, "deliveries_per_s", deliveries, "latency_p50_ms", p99 / 2,
        "latency_p99_ms", p99);
  }
}
