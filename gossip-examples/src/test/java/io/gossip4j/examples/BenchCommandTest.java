package io.gossip4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code ./gossip bench} end to end on loopback, at a size CI runs in seconds. */
class BenchCommandTest {

  @Test
  void aSmallSwarmDeliversEveryMessageOnceAndReportsTheFiguresAndTheRawCeiling() {
    CliRun r = CliRun.of("bench", "--nodes", "4", "--messages", "500", "--raw", "--json");
    assertThat(r.exitCode()).as(r.err()).isZero();
    // The library's default, signed topics, unless told otherwise.
    assertThat(r.lastLine()).contains("\"signed\":true,");
    // BoringSSL loads here (netty-tcnative is a dependency of the examples).
    assertThat(r.lastLine()).contains("\"tls_provider\":\"openssl\",");
    assertThat(r.out()).contains("deliveries per second", "latency p50 / p99 / max",
        "gossip deliveries / raw frames");
    assertThat(r.lastLine()).startsWith("{\"system\":\"gossip4j\",\"nodes\":4,\"messages\":500,")
        .contains("\"deliveries_per_s\":", "\"latency_p50_ms\":", "\"latency_p99_ms\":",
            "\"copies_per_receiver\":", "\"control_per_delivery\":", "\"bytes_per_delivery\":",
            "\"cpu_us_per_delivery\":", "\"cores\":", "\"lost\":0,", "\"duplicates\":0,", "\"heap_mb\":", "\"raw_frames_per_s\":",
            "\"raw_jdk_frames_per_s\":", "\"rate\":0,\"window\":256,",
            "\"latency_cdf\":[[0.01,", ",[1.0,",
            "\"ratio_to_raw\":")
        .endsWith("}");
  }

  @Test
  void signedOffMeasuresUnsignedTopics() {
    CliRun r = CliRun.of("bench", "--nodes", "3", "--messages", "200", "--signed", "off",
        "--json");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.lastLine()).contains("\"signed\":false,", "\"lost\":0,", "\"duplicates\":0,");
  }

  @Test
  void tlsProviderJdkRunsTheNodesOnTheJdksTls() {
    CliRun r = CliRun.of("bench", "--nodes", "3", "--messages", "200", "--tls-provider", "jdk",
        "--json");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains("TLS provider                       jdk");
    assertThat(r.lastLine()).contains("\"tls_provider\":\"jdk\",", "\"lost\":0,");
  }

  @Test
  void badOptionsAreShortUsageErrorsNamingTheOption() {
    CliRun provider = CliRun.of("bench", "--tls-provider", "fastest");
    assertThat(provider.exitCode()).isEqualTo(2);
    assertThat(provider.err()).contains("--tls-provider must be auto, jdk or openssl");
    CliRun listeners = CliRun.of("bench", "--listeners", "fast");
    assertThat(listeners.exitCode()).isEqualTo(2);
    assertThat(listeners.err()).contains("--listeners");
    CliRun duration = CliRun.of("bench", "--duration", "10");
    assertThat(duration.exitCode()).isEqualTo(2);
    assertThat(duration.err()).contains("--duration needs --rate");
  }
}
