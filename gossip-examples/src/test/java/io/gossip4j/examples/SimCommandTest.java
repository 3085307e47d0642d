package io.gossip4j.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimCommandTest {

  private static String withoutMachineFigures(String json) {
    return json.replaceAll("\"wall_ms\":\\d+", "").replaceAll("\"heap_mb\":\\d+", "");
  }

  @Test
  void jsonIsTheLastLineWithThePapersMetrics() {
    CliRun r = CliRun.of("sim", "--scenario", "mass-failure", "--nodes", "150", "--cycles", "5",
        "--broadcasts", "30", "--fail", "0.5", "--seed", "3", "--json");
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).contains("reliability (mean)");
    assertThat(r.lastLine()).startsWith("{\"scenario\":\"mass-failure\",\"nodes\":150,\"seed\":3,")
        .contains("\"reliability\":", "\"reliability_first\":", "\"rmr\":", "\"ldh\":",
            "\"latency_ms_mean\":", "\"latency_ms_p99\":", "\"payload_msgs_per_broadcast\":",
            "\"control_msgs_per_broadcast\":", "\"bytes_per_broadcast\":", "\"healing_cycles\":",
            "\"wall_ms\":", "\"heap_mb\":")
        .endsWith("}");
  }

  @Test
  void aSmallStableRunReachesEveryNodeWithFewCopiesToSpare() {
    CliRun r = CliRun.of("sim", "--nodes", "150", "--cycles", "5", "--broadcasts", "30",
        "--seed", "3", "--json");
    assertThat(r.exitCode()).isZero();
    String json = r.lastLine();
    assertThat(number(json, "broadcasts")).isEqualTo(30);
    assertThat(number(json, "reliability")).isEqualTo(1.0);
    assertThat(number(json, "reliability_first")).isEqualTo(1.0);
    // Along the tree most copies are first deliveries; flooding the views would give about 3.
    double rmr = number(json, "rmr");
    assertThat(rmr).isBetween(0.0, 0.5);
    // RMR = m / (n - 1) - 1 with n = 150: each broadcast's copies reached all 149 other nodes.
    assertThat(number(json, "payload_msgs_per_broadcast"))
        .isCloseTo((rmr + 1) * 149, within(0.01));
    assertThat(number(json, "ldh")).isGreaterThanOrEqualTo(1)
        .isLessThanOrEqualTo(number(json, "ldh_max"));
    assertThat(number(json, "latency_ms_mean")).isPositive()
        .isLessThanOrEqualTo(number(json, "latency_ms_max"));
  }

  @Test
  void aMassFailureRunCrashesTheFractionAskedFor() {
    CliRun r = CliRun.of("sim", "--scenario", "mass-failure", "--nodes", "150", "--cycles", "5",
        "--broadcasts", "30", "--fail", "0.5", "--seed", "3", "--json");
    assertThat(r.exitCode()).isZero();
    String json = r.lastLine();
    assertThat(number(json, "fail")).isEqualTo(0.5);
    assertThat(number(json, "broadcasts")).isEqualTo(30);
    assertThat(number(json, "reliability")).isGreaterThanOrEqualTo(0.99);
    assertThat(number(json, "healing_cycles")).isGreaterThanOrEqualTo(1);
    // Each broadcast reached n = m / (RMR + 1) + 1 nodes: 75 if the half asked for crashed.
    // payload_msgs_per_broadcast also counts copies sent to crashed nodes: n comes out a bit high.
    double holders = number(json, "payload_msgs_per_broadcast") / (number(json, "rmr") + 1) + 1;
    assertThat(holders).isCloseTo(75, within(2.0));
  }

  @Test
  void theSameSeedPrintsTheSameBytesButForWallTimeAndHeap() {
    String[] args = {"sim", "--nodes", "120", "--cycles", "5", "--broadcasts", "20",
        "--senders", "random", "--seed", "9", "--json"};
    CliRun first = CliRun.of(args);
    CliRun second = CliRun.of(args);
    assertThat(withoutMachineFigures(second.lastLine()))
        .isEqualTo(withoutMachineFigures(first.lastLine()));
  }

  @Test
  void aFailureSweepWritesOneRunPerFractionAndAPlot(@TempDir Path dir) throws Exception {
    Path svg = dir.resolve("sweep.svg");
    Path csv = dir.resolve("sweep.csv");
    CliRun r = CliRun.of("sim", "--scenario", "mass-failure", "--nodes", "120", "--cycles", "5",
        "--broadcasts", "20", "--fail", "0.2,0.6", "--json", "--plot", svg.toString(),
        "--csv", csv.toString());
    assertThat(r.exitCode()).isZero();
    assertThat(r.lastLine()).contains("\"runs\":[{").contains("\"fail\":0.2000")
        .contains("\"fail\":0.6000");
    assertThat(Files.readString(svg)).startsWith("<svg").contains("HyParView paper");
    assertThat(Files.readAllLines(csv)).hasSize(3);
  }

  @Test
  void theRmrPlotIsLogScaledWithRoundTicksThePapersLinesAndALegendAboveThePlot(@TempDir Path dir)
      throws Exception {
    Path svg = dir.resolve("stable.svg");
    CliRun r = CliRun.of("sim", "--nodes", "120", "--cycles", "5", "--broadcasts", "30",
        "--seed", "3", "--plot", svg.toString());
    assertThat(r.exitCode()).isZero();
    String text = Files.readString(svg);
    // Log ticks at powers of ten; linear ticks at round numbers, never 7.250 or the like.
    assertThat(text).contains(">0.0001</text>", ">0.001</text>", ">0.01</text>", ">0.1</text>");
    java.util.regex.Matcher tick = java.util.regex.Pattern
        .compile("text-anchor=\"(?:end|middle)\">([0-9.]+)</text>").matcher(text);
    List<String> ticks = new java.util.ArrayList<>();
    while (tick.find()) {
      ticks.add(tick.group(1));
    }
    assertThat(ticks).isNotEmpty().allMatch(t -> t.matches("0\\.0*1|[0-9]+|[0-9]*\\.[0-9]"),
        "round ticks");
    assertThat(text).contains("PlumTree paper, one sender: 10", "paper, optimized: 8.3",
        "LDH (hops)");
    // Each panel's legend (y 34 within it) is above its plot area (which starts at y 46).
    assertThat(text).contains("<rect x=\"60\" y=\"46\"").contains("y=\"34\">gossip4j</text>");
  }

  @Test
  void joinsSpreadFurtherApartGiveALessClusteredOverlay() {
    double hurried = clustering(CliRun.of("sim", "--nodes", "400", "--cycles", "10", "--broadcasts",
        "1", "--join-window-s", "1", "--json"));
    double unhurried = clustering(CliRun.of("sim", "--nodes", "400", "--cycles", "10", "--broadcasts",
        "1", "--join-window-s", "40", "--json"));
    assertThat(unhurried).isLessThan(hurried / 2);
  }

  private static double clustering(CliRun r) {
    assertThat(r.exitCode()).isZero();
    return number(r.lastLine(), "clustering");
  }

  /** The number after the first {@code "key":} in a JSON line. */
  private static double number(String json, String key) {
    Matcher m = Pattern.compile("\"" + key + "\":(-?[0-9.]+)").matcher(json);
    assertThat(m.find()).as("a number for %s in %s", key, json).isTrue();
    return Double.parseDouble(m.group(1));
  }

  @Test
  void aJoinWindowOfZeroIsAUsageErrorNamingTheField() {
    CliRun r = CliRun.of("sim", "--join-window-s", "0");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("SimConfig.joinWindow");
  }

  @Test
  void aWrongOptionIsAShortUsageErrorWithExitCodeTwo() {
    CliRun r = CliRun.of("sim", "--nodes", "many");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("--nodes").contains("gossip sim --help");
    assertThat(r.err().lines().count()).isLessThanOrEqualTo(3);
  }
}
