package io.gossip4j.examples;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code gossip plot}: the benchmarks' plots from the JSON lines their runs printed. */
@Command(
    name = "plot",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Draws the benchmark plots from files of JSON lines, as `gossip bench --json` and the "
          + "ScaleCube harness (scripts/scalecube-bench.sh) print them; other lines are skipped. "
          + "scripts/bench-plots.sh runs the benchmarks and this.",
      "Writes bench-nodes.svg (deliveries per second against the raw TLS ceilings, latency p50 "
          + "and p99, against the number of nodes) and bench-latency-cdf.svg (the latency "
          + "distribution at a light load and at saturation)."
    })
public final class PlotCommand implements Callable<Integer> {
  @Parameters(arity = "1..*", paramLabel = "FILE", description = "Files of JSON lines.")
  List<Path> files;

  @Option(names = "--out", defaultValue = ".",
      description = "Directory the SVG files go to (default: ${DEFAULT-VALUE}).")
  Path out;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    PrintWriter printer = spec.commandLine().getOut();
    List<Map<String, Object>> runs = new ArrayList<>();
    for (Path file : files) {
      if (!Files.isReadable(file)) {
        throw new CommandLine.ParameterException(spec.commandLine(), "cannot read " + file);
      }
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      for (int i = 0; i < lines.size(); i++) {
        if (lines.get(i).startsWith("{")) {
          try {
            runs.add(Json.object(lines.get(i)));
          } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                file + ":" + (i + 1) + ": " + e.getMessage());
          }
        }
      }
    }
    if (runs.isEmpty()) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "no JSON lines in " + files);
    }
    Files.createDirectories(out);
    write(printer, out.resolve("bench-nodes.svg"), BenchPlots.againstNodes(runs));
    write(printer, out.resolve("bench-latency-cdf.svg"), BenchPlots.latencyDistribution(runs));
    printer.println(runs.size() + " runs read");
    printer.flush();
    return 0;
  }

  private static void write(PrintWriter printer, Path file, String svg) throws IOException {
    Files.writeString(file, svg, StandardCharsets.UTF_8);
    printer.println("wrote " + file);
  }
}
