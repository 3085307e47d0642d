package io.gossip4j.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The docs a user follows: every relative link in README.md and docs/ leads to a file that is
 * there, and every {@code gossip} command line they show parses with the current CLI (options
 * that exist, values of the right type). Nothing is run.
 */
class DocsTest {
  private static final Path ROOT = Path.of("..");
  private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
  private static final Pattern REFERENCE = Pattern.compile("^\\[[^\\]]+\\]:\\s*(\\S+)");
  private static final Pattern INLINE_CODE = Pattern.compile("`([^`]+)`");
  /** Where a command of the launcher starts: ./gossip, or the examples jar, or $J for it. */
  private static final Pattern COMMAND = Pattern.compile(
      "(?:\\./gossip|gossip-examples\\.jar|\\$J)\\s+((?:sim|bench|chat|demo|keygen|help)\\b.*"
          + "|--help.*|-h\\b.*|--version.*)$");

  /** A command line found in a doc, with where it was. */
  record Shown(Path doc, int line, String text) {
    @Override
    public String toString() {
      return ROOT.relativize(doc) + ":" + line + ": " + text;
    }
  }

  @Test
  void everyRelativeLinkInTheDocsResolves() throws IOException {
    List<String> broken = new ArrayList<>();
    int links = 0;
    for (Path doc : docs()) {
      List<String> lines = Files.readAllLines(doc);
      for (int i = 0; i < lines.size(); i++) {
        List<String> targets = new ArrayList<>();
        Matcher m = LINK.matcher(lines.get(i));
        while (m.find()) {
          targets.add(m.group(1));
        }
        Matcher r = REFERENCE.matcher(lines.get(i));
        if (r.find()) {
          targets.add(r.group(1));
        }
        for (String target : targets) {
          if (target.matches("^[a-z]+:.*") || target.startsWith("#")) {
            continue; // a web address, or a heading of the same page
          }
          links++;
          String path = target.replaceFirst("#.*$", "");
          if (!Files.exists(doc.getParent().resolve(path))) {
            broken.add(ROOT.relativize(doc) + ":" + (i + 1) + ": " + target);
          }
        }
      }
    }
    assertThat(links).as("relative links found").isPositive();
    assertThat(broken).as("links to files that are not there").isEmpty();
  }

  @Test
  void everyGossipCommandInTheDocsParses() throws IOException {
    List<Shown> commands = commands();
    assertThat(commands).as("command lines found").hasSizeGreaterThan(20);
    List<String> refused = new ArrayList<>();
    for (Shown shown : commands) {
      try {
        GossipCli.commandLine().parseArgs(arguments(shown.text()));
      } catch (CommandLine.ParameterException e) {
        refused.add(shown + "\n    " + e.getMessage());
      }
    }
    assertThat(refused).as("command lines the CLI refuses").isEmpty();
  }

  @Test
  void aCommandWithAnOptionThatDoesNotExistIsRefused() {
    // The check above would pass with a parser that accepts anything.
    String[] wrong = arguments("sim --scenario stable --nodes 10 --no-such-option 1");
    assertThatThrownBy(() -> GossipCli.commandLine().parseArgs(wrong))
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessageContaining("--no-such-option");
    String[] badValue = arguments("sim --nodes many");
    assertThatThrownBy(() -> GossipCli.commandLine().parseArgs(badValue))
        .isInstanceOf(CommandLine.ParameterException.class);
  }

  private static List<Path> docs() throws IOException {
    List<Path> docs = new ArrayList<>();
    docs.add(ROOT.resolve("README.md"));
    try (Stream<Path> files = Files.walk(ROOT.resolve("docs"))) {
      files.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
    }
    return docs;
  }

  /** The command lines in fenced blocks (joined across {@code \} continuations) and in code spans. */
  private static List<Shown> commands() throws IOException {
    List<Shown> found = new ArrayList<>();
    for (Path doc : docs()) {
      List<String> lines = Files.readAllLines(doc);
      boolean fenced = false;
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i);
        if (line.strip().startsWith("```")) {
          fenced = !fenced;
          continue;
        }
        if (fenced) {
          int first = i;
          StringBuilder joined = new StringBuilder(line.strip());
          while (joined.toString().endsWith("\\") && i + 1 < lines.size()) {
            joined.setLength(joined.length() - 1);
            joined.append(' ').append(lines.get(++i).strip());
          }
          addIfCommand(found, doc, first + 1, joined.toString());
        } else {
          Matcher m = INLINE_CODE.matcher(line);
          while (m.find()) {
            addIfCommand(found, doc, i + 1, m.group(1));
          }
        }
      }
    }
    return found;
  }

  private static void addIfCommand(List<Shown> found, Path doc, int line, String text) {
    String code = text.replaceFirst("\\s+#\\s.*$", "").strip(); // a shell comment after it
    Matcher m = COMMAND.matcher(code);
    if (m.find() && !m.group(1).contains("...") && !m.group(1).contains("…")) {
      found.add(new Shown(doc, line, m.group(1)));
    }
  }

  /**
   * The arguments of a shown command, with the docs' notation resolved: {@code [optional]}
   * parts kept, the first of {@code a|b} alternatives, and placeholders in capitals (N, S,
   * FILE) replaced by 1.
   */
  static String[] arguments(String command) {
    List<String> args = new ArrayList<>();
    for (String token : command.replace("[", " ").replace("]", " ").strip().split("\\s+")) {
      String chosen = token.contains("|") ? token.substring(0, token.indexOf('|')) : token;
      args.add(chosen.matches("[A-Z]+") ? "1" : chosen);
    }
    return args.toArray(String[]::new);
  }
}
