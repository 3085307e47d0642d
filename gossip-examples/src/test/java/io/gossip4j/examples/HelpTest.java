package io.gossip4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The launcher's help reads whole: picocli wraps each paragraph, so no sentence is cut short. */
class HelpTest {
  /** Shorter than this and not at a paragraph's end: a line the source broke, not picocli. */
  private static final int SHORTEST_WRAPPED_LINE = 50;

  @Test
  void everyCommandsDescriptionIsWrappedAsWholeParagraphs() {
    CommandLine cli = GossipCli.commandLine();
    List<String> cut = new ArrayList<>();
    check("gossip", cli, cut);
    for (Map.Entry<String, CommandLine> sub : cli.getSubcommands().entrySet()) {
      check(sub.getKey(), sub.getValue(), cut);
    }
    assertThat(cut).as("description lines cut short").isEmpty();
    assertThat(cli.getSubcommands()).containsKeys("demo", "chat", "sim", "bench", "keygen");
  }

  /** The description: the lines after the synopsis up to the first option or blank line. */
  private static void check(String name, CommandLine command, List<String> cut) {
    String help = command.getUsageMessage(CommandLine.Help.Ansi.OFF);
    String[] lines = help.split("\n");
    int i = 0;
    while (i < lines.length && (lines[i].startsWith("Usage:") || lines[i].startsWith(" "))) {
      i++;
    }
    for (; i < lines.length && !lines[i].isBlank() && !lines[i].startsWith(" "); i++) {
      String line = lines[i].stripTrailing();
      boolean lastOfParagraph = i + 1 >= lines.length || lines[i + 1].isBlank()
          || lines[i + 1].startsWith(" ") || line.endsWith(".");
      if (!lastOfParagraph && line.length() < SHORTEST_WRAPPED_LINE) {
        cut.add(name + ": '" + line + "'");
      }
    }
  }
}
