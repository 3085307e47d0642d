package io.gossip4j.scalecube;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class ScaleCubeBenchCommandTest {
  private static final Pattern FIELD =
      Pattern.compile("\"([a-z0-9_]+)\":(\"[^\"]*\"|\\[[^\\]]*\\]|[^,}]+)");

  @Test
  @Timeout(120)
  void threeMembersDeliverEveryBroadcastToEveryOtherMemberOnce() {
    StringWriter printed = new StringWriter();
    int exit = ScaleCubeBenchCommand.commandLine()
        .setOut(new PrintWriter(printed, true))
        .execute("--nodes", "3", "--messages", "50", "--warmup", "10", "--window", "16",
            "--json");

    List<String> lines = printed.toString().lines().collect(Collectors.toList());
    String json = lines.get(lines.size() - 1);
    Map<String, String> fields = fields(json);
    assertThat(exit).as(printed.toString()).isZero();
    assertThat(json).startsWith("{").endsWith("}").contains("\"latency_cdf\":[[0.01,")
        .contains(",[1.0,");
    assertThat(fields).containsKeys("deliveries_per_s", "latency_p50_ms", "latency_p99_ms",
        "latency_max_ms", "copies_per_receiver", "control_per_delivery", "bytes_per_delivery",
        "cpu_us_per_delivery", "cores", "members_removed", "heap_mb", "gossip_interval_ms",
        "gossip_fanout", "gossip_repeat_mult");
    assertThat(fields).containsEntry("system", "\"scalecube-cluster 2.7.7\"")
        .containsEntry("nodes", "3")
        .containsEntry("messages", "50")
        .containsEntry("sent", "50")
        .containsEntry("size", "1024")
        .containsEntry("lost", "0")
        .containsEntry("duplicates", "0")
        .containsEntry("listener_copies_per_receiver", "1.0000")
        .doesNotContainKey("stopped");
    // Every delivery came in at least one copy on the wire.
    assertThat(Double.parseDouble(fields.get("copies_per_receiver"))).isGreaterThanOrEqualTo(1.0);
    assertThat(Double.parseDouble(fields.get("deliveries_per_s"))).isPositive();
  }

  private static Map<String, String> fields(String json) {
    Matcher m = FIELD.matcher(json);
    Map<String, String> fields = new java.util.LinkedHashMap<>();
    while (m.find()) {
      fields.put(m.group(1), m.group(2));
    }
    return fields;
  }
}
