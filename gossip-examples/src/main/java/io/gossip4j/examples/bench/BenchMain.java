package io.gossip4j.examples.bench;

/** Temporary runner until the CLI lands: args nodes messages size rate. */
public final class BenchMain {
  public static void main(String[] args) throws Exception {
    BenchConfig c = new BenchConfig(Integer.parseInt(args[0]), Integer.parseInt(args[1]),
        Integer.parseInt(args[2]), Integer.parseInt(args[3]), true, 2, 2000, 2000, 1);
    System.out.println(new SwarmBench(c).run());
  }
}
