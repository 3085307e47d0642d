package io.gossip4j.netty;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The nodes a test started, closed after it: {@code @RegisterExtension final Nodes nodes = new
 * Nodes();} then {@code nodes.start(Gossip.builder()...)}.
 */
final class Nodes implements AfterEachCallback {
  private final List<Gossip> started = new ArrayList<>();

  /** Builds and starts a node, to be closed after the test. */
  Gossip start(Gossip.Builder builder) {
    Gossip g = builder.build().start();
    started.add(g);
    return g;
  }

  @Override
  public void afterEach(ExtensionContext context) {
    started.forEach(Gossip::close);
    started.clear();
  }
}
