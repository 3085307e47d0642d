package io.gossip4j.examples;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code gossip} command: one entry point, a subcommand per tool, each a sibling class
 * registered below.
 */
@Command(
    name = "gossip",
    mixinStandardHelpOptions = true,
    version = "gossip4j 0.1.0-SNAPSHOT",
    description = "gossip4j: HyParView membership and PlumTree broadcast.",
    subcommands = {
      DemoCommand.class,
      ChatCommand.class,
      SimCommand.class,
      BenchCommand.class,
      KeygenCommand.class,
      PlotCommand.class,
      CommandLine.HelpCommand.class
    })
public final class GossipCli implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Without a subcommand: the usage, as an error. */
  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing a subcommand");
  }

  /** The command line, configured as every run of it is (also by tests). */
  public static CommandLine commandLine() {
    return new CommandLine(new GossipCli())
        .setCaseInsensitiveEnumValuesAllowed(true)
        .setParameterExceptionHandler(GossipCli::shortUsageError);
  }

  /** A wrong option: the error and where to look, not the whole help; exit code 2. */
  private static int shortUsageError(CommandLine.ParameterException e, String[] args) {
    CommandLine cmd = e.getCommandLine();
    cmd.getErr().println("gossip: " + e.getMessage());
    cmd.getErr().println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help'.");
    cmd.getErr().flush();
    return cmd.getCommandSpec().exitCodeOnInvalidInput();
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }
}
