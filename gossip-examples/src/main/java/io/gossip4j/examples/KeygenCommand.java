package io.gossip4j.examples;

import io.gossip4j.netty.Identity;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code gossip keygen --out FILE}: a new Ed25519 identity, saved for reuse. */
@Command(
    name = "keygen",
    mixinStandardHelpOptions = true,
    description = {
      "Creates an Ed25519 key file (owner-only permissions) and prints the node id. Pass it "
          + "to 'gossip chat --key FILE' to keep the same id across restarts."
    })
public final class KeygenCommand implements Callable<Integer> {
  @Option(names = "--out", required = true, paramLabel = "FILE",
      description = "Where to write the key; an existing file is not overwritten.")
  Path out;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    if (Files.exists(out)) {
      spec.commandLine().getErr().println("gossip keygen: " + out + " already exists");
      return 1;
    }
    try {
      Identity identity = Identity.generate();
      identity.save(out);
      spec.commandLine().getOut().println(identity.nodeId().toHex());
      return 0;
    } catch (UncheckedIOException | IllegalArgumentException e) {
      spec.commandLine().getErr().println("gossip keygen: cannot write " + out + ": "
          + e.getMessage());
      return 1;
    }
  }
}
