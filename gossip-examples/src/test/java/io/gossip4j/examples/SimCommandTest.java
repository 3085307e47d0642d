package io.gossip4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
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
  void joinsSpreadFurtherApartGiveALessClusteredOverlay() {
    double hurried = clustering(CliRun.of("sim", "--nodes", "400", "--cycles", "10", "--broadcasts",
        "1", "--join-window-s", "1", "--json"));
    double unhurried = clustering(CliRun.of("sim", "--nodes", "400", "--cycles", "10", "--broadcasts",
        "1", "--join-window-s", "40", "--json"));
    assertThat(unhurried).isLessThan(hurried / 2);
  }

  private static double clustering(CliRun r) {
    assertThat(r.exitCode()).isZero();
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("\"clustering\":([0-9.]+)").matcher(r.lastLine());
    assertThat(m.find()).isTrue();
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
