package io.gossip4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ReadmeTest {
  private static final Path README = Path.of("..", "README.md");
  private static final Path EXAMPLE =
      Path.of("src", "main", "java", "io", "gossip4j", "examples", "QuickStart.java");

  @Test
  void theReadmeShowsTheQuickStartSourceVerbatim() throws Exception {
    String source = Files.readString(EXAMPLE);
    String block = source.substring(source.indexOf("// README-EXAMPLE-START") + 23,
        source.indexOf("    // README-EXAMPLE-END"));
    String dedented = Arrays.stream(block.strip().split("\n"))
        .map(line -> line.startsWith("    ") ? line.substring(4) : line)
        .collect(Collectors.joining("\n"));
    String readme = Files.readString(README);
    assertThat(readme).contains(dedented);
    // Its imports too, in its order, so the snippet compiles as shown.
    String imports = Arrays.stream(source.split("\n"))
        .filter(line -> line.startsWith("import "))
        .collect(Collectors.joining("\n"));
    assertThat(readme).contains(imports + "\n\n" + dedented.lines().findFirst().orElseThrow());
    assertThat(readme).contains("./gossip demo\nmvn -B verify");
  }

  @Test
  void theQuickStartRunsAndPrintsTheGreeting() throws Exception {
    assertThat(Printed.by(QuickStart::main))
        .startsWith("hello from ").contains("(signature checked)");
  }
}
