package io.gossip4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The Micrometer example runs and prints what the meters counted. */
class MetricsExampleTest {
  @Test
  void theMetricsExamplePrintsTheDeliveriesItCounted() throws Exception {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      MetricsExample.main(new String[0]);
    } finally {
      System.setOut(original);
    }
    String out = captured.toString(StandardCharsets.UTF_8);
    assertThat(out).contains("gossip.topic.delivered").contains("= 5\n")
        .contains("gossip.topic.neighbors").contains("tag(node=bob)");
  }
}
