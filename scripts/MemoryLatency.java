import java.util.SplittableRandom;

/**
 * How long this host takes to load a word that no cache holds: a chase of dependent loads over
 * a random cycle through 128 MiB, four times the last-level cache of the machines we run on.
 * The simulator's time per event is a few such loads, so a benchmark run quoted beside this
 * figure can be compared with one made when the host's memory was faster or slower.
 *
 * <p>Run: {@code java -Xms1g -Xmx1g -XX:+UseTransparentHugePages -XX:+AlwaysPreTouch
 * scripts/MemoryLatency.java} (huge pages, as {@code ./gossip sim} uses, so that the figure is
 * the memory's and not the page walks').
 */
public final class MemoryLatency {
  private static final int SLOTS = 1 << 25;
  private static final int LOADS = 20_000_000;

  private MemoryLatency() {}

  public static void main(String[] args) {
    // Sattolo's shuffle: one cycle through every slot, so the chase never settles in a short
    // loop that a cache could hold.
    int[] next = new int[SLOTS];
    for (int i = 0; i < SLOTS; i++) {
      next[i] = i;
    }
    SplittableRandom rng = new SplittableRandom(1);
    for (int i = SLOTS - 1; i > 0; i--) {
      int j = rng.nextInt(i);
      int t = next[i];
      next[i] = next[j];
      next[j] = t;
    }
    int at = 0;
    for (int i = 0; i < LOADS / 10; i++) {
      at = next[at]; // warm-up: compiled before the timed loop
    }
    long start = System.nanoTime();
    for (int i = 0; i < LOADS; i++) {
      at = next[at];
    }
    long elapsed = System.nanoTime() - start;
    // Printing the end of the chase keeps the loop from being optimized away.
    System.out.printf("memory latency: %.0f ns per dependent load (ended at %d)%n",
        (double) elapsed / LOADS, at);
  }
}
