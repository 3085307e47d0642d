package io.gossip4j.sim;

import io.gossip4j.NodeId;
import io.gossip4j.TopicId;
import io.gossip4j.proto.TopicSnapshot;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The shape of the overlay the live nodes' active views form, as the HyParView paper measures
 * it. Histograms are indexed by size: {@code activeViewSizes.get(5)} is how many nodes have 5
 * active peers.
 *
 * @param nodes live nodes
 * @param activeViewSizes histogram of active view sizes
 * @param passiveViewSizes histogram of passive view sizes
 * @param inDegrees histogram of in-degrees: how many live nodes hold a node in their active view
 * @param isolated live nodes that no live node holds in its active view
 * @param clustering mean local clustering coefficient of the undirected active-view graph
 *     (nodes with fewer than two neighbors count as 0)
 * @param meanShortestPath mean hop distance from {@code pathSources} sampled nodes to every node
 *     they reach
 * @param pathSources nodes the shortest paths were measured from
 */
public record OverlayStats(
    int nodes,
    List<Integer> activeViewSizes,
    List<Integer> passiveViewSizes,
    List<Integer> inDegrees,
    int isolated,
    double clustering,
    double meanShortestPath,
    int pathSources) {

  /** Sources sampled for the shortest paths: exact enough, and linear in the node count. */
  public static final int PATH_SOURCES = 100;

  /** Share of the live nodes whose in-degree is {@code degree}. */
  public double inDegreeShare(int degree) {
    return degree < inDegrees.size() ? (double) inDegrees.get(degree) / nodes : 0;
  }

  /** Measures the live nodes of {@code network} on {@code topic}. */
  public static OverlayStats of(Network network, TopicId topic, long seed) {
    List<NodeId> alive = network.aliveNodes();
    int n = alive.size();
    int[] slot = new int[network.size()];
    Arrays.fill(slot, -1);
    for (int i = 0; i < n; i++) {
      slot[network.indexOf(alive.get(i))] = i;
    }
    int[][] out = new int[n][];
    int[] active = new int[n];
    int[] passive = new int[n];
    int[] inDegree = new int[n];
    for (int i = 0; i < n; i++) {
      TopicSnapshot s = network.protocol(alive.get(i)).snapshot(topic).orElse(null);
      List<NodeId> view = s == null ? List.of() : s.active();
      active[i] = view.size();
      passive[i] = s == null ? 0 : s.passive().size();
      int[] peers = new int[view.size()];
      int count = 0;
      for (NodeId peer : view) {
        int j = slot[network.indexOf(peer)];
        if (j >= 0) {
          peers[count++] = j;
          inDegree[j]++;
        }
      }
      out[i] = Arrays.copyOf(peers, count);
    }
    int[][] undirected = undirected(out);
    int isolated = 0;
    for (int i = 0; i < n; i++) {
      if (inDegree[i] == 0) {
        isolated++;
      }
    }
    double[] paths = meanShortestPath(undirected, new SplittableRandom(seed));
    return new OverlayStats(
        n,
        histogram(active),
        histogram(passive),
        histogram(inDegree),
        isolated,
        clustering(undirected),
        paths[0],
        (int) paths[1]);
  }

  private static int[][] undirected(int[][] out) {
    int n = out.length;
    List<List<Integer>> sets = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      sets.add(new ArrayList<>());
    }
    for (int i = 0; i < n; i++) {
      for (int j : out[i]) {
        if (!sets.get(i).contains(j)) {
          sets.get(i).add(j);
        }
        if (!sets.get(j).contains(i)) {
          sets.get(j).add(i);
        }
      }
    }
    int[][] adjacency = new int[n][];
    for (int i = 0; i < n; i++) {
      adjacency[i] = sets.get(i).stream().mapToInt(Integer::intValue).sorted().toArray();
    }
    return adjacency;
  }

  private static double clustering(int[][] adjacency) {
    int n = adjacency.length;
    if (n == 0) {
      return 0;
    }
    double sum = 0;
    for (int[] neighbors : adjacency) {
      int k = neighbors.length;
      if (k < 2) {
        continue;
      }
      int links = 0;
      for (int a = 0; a < k; a++) {
        for (int b = a + 1; b < k; b++) {
          if (Arrays.binarySearch(adjacency[neighbors[a]], neighbors[b]) >= 0) {
            links++;
          }
        }
      }
      sum += 2.0 * links / (k * (k - 1.0));
    }
    return sum / n;
  }

  /** {mean distance, sources used} by breadth-first search from sampled sources. */
  private static double[] meanShortestPath(int[][] adjacency, SplittableRandom rng) {
    int n = adjacency.length;
    int sources = Math.min(PATH_SOURCES, n);
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    for (int i = 0; i < sources; i++) {
      int j = i + rng.nextInt(n - i);
      int tmp = order[i];
      order[i] = order[j];
      order[j] = tmp;
    }
    int[] distance = new int[n];
    ArrayDeque<Integer> frontier = new ArrayDeque<>();
    long total = 0;
    long pairs = 0;
    for (int s = 0; s < sources; s++) {
      Arrays.fill(distance, -1);
      distance[order[s]] = 0;
      frontier.add(order[s]);
      while (!frontier.isEmpty()) {
        int v = frontier.poll();
        for (int w : adjacency[v]) {
          if (distance[w] < 0) {
            distance[w] = distance[v] + 1;
            total += distance[w];
            pairs++;
            frontier.add(w);
          }
        }
      }
    }
    return new double[] {pairs == 0 ? 0 : (double) total / pairs, sources};
  }

  private static List<Integer> histogram(int[] values) {
    int max = 0;
    for (int v : values) {
      max = Math.max(max, v);
    }
    int[] counts = new int[max + 1];
    for (int v : values) {
      counts[v]++;
    }
    return Arrays.stream(counts).boxed().toList();
  }
}
