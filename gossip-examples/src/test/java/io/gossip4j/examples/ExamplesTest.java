package io.gossip4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ExamplesTest {
  private static final Duration DEADLINE = Duration.ofSeconds(60);

  /** A thread-safe capture of what a command prints. */
  private static final class Capture {
    final StringWriter text = new StringWriter();
    final PrintWriter writer = new PrintWriter(new SynchronizedWriter(text), true);

    String get() {
      synchronized (text) {
        return text.toString();
      }
    }
  }

  private static final class SynchronizedWriter extends Writer {
    private final StringWriter target;

    SynchronizedWriter(StringWriter target) {
      this.target = target;
    }

    @Override
    public void write(char[] buf, int off, int len) {
      synchronized (target) {
        target.write(buf, off, len);
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }

  private static void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
    }
  }

  private static CommandLine cli(Capture out, Capture err) {
    return GossipCli.commandLine().setOut(out.writer).setErr(err.writer);
  }

  @Test
  void theDemoDeliversEveryMessageOnceAndSaysSo() {
    Capture out = new Capture();
    Capture err = new Capture();
    int code = cli(out, err).execute("demo", "--nodes", "8", "--messages", "20", "--kill", "2",
        "--json");
    assertThat(code).as("exit code; output:%n%s%s", out.get(), err.get()).isZero();
    String[] lines = out.get().strip().split("\n");
    String json = lines[lines.length - 1];
    // 6 live nodes each must hold all 40 messages.
    assertThat(json).contains("\"delivered\":240,\"expected\":240,\"duplicates\":0");
    assertThat(out.get()).contains("OK: every live node got every message exactly once");
    // Each round waits for the neighbors to settle (1 s without a change, by default).
    assertThat(out.get()).contains("settled").contains("(no neighbor changed for 1000 ms)");
  }

  @Test
  void aLineTypedInOneChatCrossesToTheOtherAndQuitLeavesCleanly() throws Exception {
    Capture out1 = new Capture();
    Capture out2 = new Capture();
    Capture err = new Capture();
    PipedOutputStream typing1 = new PipedOutputStream();
    PipedOutputStream typing2 = new PipedOutputStream();
    ChatCommand first = new ChatCommand();
    first.in = new PipedInputStream(typing1);
    ChatCommand second = new ChatCommand();
    second.in = new PipedInputStream(typing2);
    CompletableFuture<Integer> run1 = CompletableFuture.supplyAsync(() ->
        new CommandLine(first).setOut(out1.writer).setErr(err.writer)
            .execute("--name", "alice"));
    await("a ticket", () -> out1.get().contains("ticket: "));
    Matcher ticket = Pattern.compile("ticket: (\\S+)").matcher(out1.get());
    assertThat(ticket.find()).isTrue();
    CompletableFuture<Integer> run2 = CompletableFuture.supplyAsync(() ->
        new CommandLine(second).setOut(out2.writer).setErr(err.writer)
            .execute("--name", "bob", ticket.group(1)));
    await("the two chats to meet", () -> out1.get().contains("up") && out2.get().contains("up"));

    // Each announced its name on joining: both are shown as name (id).
    await("alice hears bob's name",
        () -> out1.get().matches("(?s).*\\* bob \\([0-9a-f]{10}\\) is here.*"));
    await("bob hears alice's name",
        () -> out2.get().matches("(?s).*\\* alice \\([0-9a-f]{10}\\) is here.*"));
    type(typing2, "hello from bob");
    await("bob's line at alice",
        () -> out1.get().matches("(?s).*\nbob \\([0-9a-f]{10}\\)> hello from bob\n.*"));
    assertThat(out2.get()).as("bob sees his own line with his name")
        .containsPattern("bob \\([0-9a-f]{10}\\)> hello from bob");
    type(typing2, "/ticket");
    await("a ticket from bob, who did not create the chat", () -> out2.get().lines()
        .anyMatch(l -> l.startsWith("ticket: gossip4j1")));
    type(typing1, "/peers");
    await("alice's peer list", () -> out1.get().contains("1 neighbor(s): bob ("));
    type(typing1, "/quit");
    assertThat(run1.get(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isZero();
    await("bob sees alice leave", () -> out2.get().contains("neighbor alice (")
        && out2.get().contains(") down (quit)"));
    type(typing2, "/quit");
    assertThat(run2.get(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isZero();
    assertThat(err.get()).isEmpty();
  }

  private static void type(PipedOutputStream keyboard, String line) throws IOException {
    keyboard.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    keyboard.flush();
  }

  @Test
  void chatMistakesAreOneLineErrorsWithExitCode1(@TempDir Path dir) throws IOException {
    Capture out = new Capture();
    Capture err = new Capture();
    assertThat(cli(out, err).execute("chat", "--name", "x", "not-a-ticket")).isEqualTo(1);
    assertThat(err.get().strip()).startsWith("gossip chat: bad ticket:").doesNotContain("\n");
    Path badKey = dir.resolve("bad.key");
    Files.writeString(badKey, "garbage");
    Capture err2 = new Capture();
    assertThat(cli(out, err2).execute("chat", "--name", "x", "--key", badKey.toString()))
        .isEqualTo(1);
    assertThat(err2.get().strip()).startsWith("gossip chat: cannot use key file")
        .doesNotContain("\n");
  }

  @Test
  void aPortInUseIsAOneLineError() throws IOException {
    try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1,
        java.net.InetAddress.getLoopbackAddress())) {
      Capture out = new Capture();
      Capture err = new Capture();
      int code = cli(out, err).execute("chat", "--name", "x", "--bind",
          "127.0.0.1:" + taken.getLocalPort());
      assertThat(code).isEqualTo(1);
      assertThat(err.get().strip()).startsWith("gossip chat: cannot listen on")
          .doesNotContain("\n");
    }
  }

  @Test
  void keygenWritesAKeyFilePrintsTheIdAndRefusesToOverwrite(@TempDir Path dir) {
    Path key = dir.resolve("node.key");
    Capture out = new Capture();
    Capture err = new Capture();
    assertThat(cli(out, err).execute("keygen", "--out", key.toString())).isZero();
    assertThat(out.get().strip()).matches("[0-9a-f]{64}");
    assertThat(io.gossip4j.netty.Identity.load(key).nodeId().toHex())
        .isEqualTo(out.get().strip());
    assertThat(cli(out, err).execute("keygen", "--out", key.toString())).isEqualTo(1);
    assertThat(err.get()).contains("already exists");
  }

  @Test
  void aWrongOptionIsAShortUsageErrorWithExitCode2() {
    Capture out = new Capture();
    Capture err = new Capture();
    assertThat(cli(out, err).execute("demo", "--nodes", "many")).isEqualTo(2);
    assertThat(err.get()).contains("Invalid value for option '--nodes'")
        .contains("Try 'gossip demo --help'");
    assertThat(err.get().lines().count()).isLessThanOrEqualTo(2);
  }
}
