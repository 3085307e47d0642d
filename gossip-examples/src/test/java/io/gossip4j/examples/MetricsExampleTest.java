package io.gossip4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The Micrometer example runs and prints what the meters counted. */
class MetricsExampleTest {
  @Test
  void theMetricsExamplePrintsTheDeliveriesItCounted() throws Exception {
    String out = Printed.by(MetricsExample::main);
    assertThat(out).contains("gossip.topic.delivered").contains("= 5\n")
        .contains("gossip.topic.neighbors").contains("tag(node=bob)");
  }
}
