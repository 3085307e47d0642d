package io.gossip4j.examples;

import io.gossip4j.sim.BroadcastStats;
import io.gossip4j.sim.OverlayStats;
import io.gossip4j.sim.PartitionStats;
import io.gossip4j.sim.SimConfig;
import io.gossip4j.sim.SimReport;
import java.util.List;
import java.util.Locale;

/**
 * Renders simulation reports as a human table, one-line JSON or CSV. Every number is formatted
 * with {@link Locale#ROOT} and a fixed precision, and keys come in a fixed order, so the same
 * seed prints the same bytes (wall_ms and heap_mb aside).
 */
final class ReportFormat {
  private ReportFormat() {}

  /** One run of a scenario and the wall time it took. */
  record Run(SimReport report, long wallMs) {}

  // ---- table -----------------------------------------------------------------------------

  static String table(Run run) {
    SimReport r = run.report();
    SimConfig c = r.config();
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "gossip sim: %s, %d nodes, seed %d, senders %s%s%n",
        r.scenario(), c.nodes(), c.seed(), c.senders().name().toLowerCase(Locale.ROOT),
        scenarioDetail(r)));
    sb.append(String.format(Locale.ROOT,
        "  %d cycles of %d ms, %d broadcasts of %d bytes every %d ms, latency %d-%d ms%n%n",
        c.cycles(), c.cycle().toMillis(), r.broadcasts().size(), c.payloadBytes(),
        c.broadcastInterval().toMillis(), c.network().minLatency().toMillis(),
        c.network().maxLatency().toMillis()));
    row(sb, "reliability (mean)", fmt(r.reliability(), 4));
    row(sb, "reliability, first " + SimReport.FIRST, fmt(r.reliabilityFirst(), 4));
    row(sb, "  per message", firstSeries(r, 3));
    row(sb, "RMR (mean)", fmt(r.rmr(), 4));
    row(sb, "LDH (mean / max)", fmt(r.ldh(), 2) + " / " + r.ldhMax());
    row(sb, "latency ms (mean / p99 / max)", fmt(r.latencyMsMean(), 1) + " / "
        + fmt(r.latencyMsP99(), 1) + " / " + fmt(r.latencyMsMax(), 1));
    row(sb, "payload msgs / broadcast", fmt(r.payloadMsgsPerBroadcast(), 1));
    row(sb, "control msgs / broadcast", fmt(r.controlMsgsPerBroadcast(), 1));
    row(sb, "bytes / broadcast", fmt(r.bytesPerBroadcast(), 0));
    row(sb, "membership msgs (broadcast phase)", Long.toString(r.membershipMsgs()));
    if (r.healingCycles() >= 0) {
      row(sb, "healing (cycles)", Integer.toString(r.healingCycles()));
    }
    PartitionStats p = r.partition();
    if (p != null) {
      row(sb, "cut (ms)", Long.toString(p.cutMs()));
      row(sb, "reliability during / after the cut", fmt(p.reliabilityDuringCut(), 4) + " / "
          + fmt(p.reliabilityAfterHeal(), 4));
      row(sb, "first link across after (ms)", Long.toString(p.relinkMs()));
      row(sb, "caught up after (ms)", Long.toString(p.remergeMs()));
      row(sb, "live broadcasts whole again after (ms)", Long.toString(p.mergedMs()));
      row(sb, "late deliveries (catch-up)", Long.toString(p.lateDeliveries()));
      row(sb, "missed, reported in gaps", Long.toString(p.missedInGaps()));
      row(sb, "links across at the end", Integer.toString(p.linksAcross()));
    }
    OverlayStats o = r.overlay();
    sb.append(String.format(Locale.ROOT, "%noverlay before the broadcasts (%d live nodes)%n",
        o.nodes()));
    row(sb, "active view sizes", histogram(o.activeViewSizes()));
    row(sb, "passive view sizes", histogram(o.passiveViewSizes()));
    row(sb, "in-degrees", histogram(o.inDegrees()));
    row(sb, "in-degree 5", fmt(100 * o.inDegreeShare(5), 2) + " % of nodes");
    row(sb, "isolated nodes", Integer.toString(o.isolated()));
    row(sb, "clustering coefficient", fmt(o.clustering(), 5));
    row(sb, "mean shortest path", fmt(o.meanShortestPath(), 2) + " (from "
        + o.pathSources() + " nodes)");
    sb.append(String.format(Locale.ROOT, "%n%d events, %.1f virtual s, %d ms wall on %d threads%n",
        r.events(), r.virtualMillis() / 1000.0, run.wallMs(), c.threads()));
    return sb.toString();
  }

  static String sweepTable(List<Run> runs) {
    SimReport first = runs.get(0).report();
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "gossip sim: %s sweep, %d nodes, seed %d, senders %s%n%n",
        first.scenario(), first.config().nodes(), first.config().seed(),
        first.config().senders().name().toLowerCase(Locale.ROOT)));
    sb.append(String.format(Locale.ROOT, "%6s %12s %12s %8s %7s %8s %9s %9s%n",
        "fail", "reliability", "first 10", "RMR", "LDH", "healing", "msgs/bc", "wall ms"));
    for (Run run : runs) {
      SimReport r = run.report();
      sb.append(String.format(Locale.ROOT, "%6.2f %12.4f %12.4f %8.4f %7.2f %8d %9.1f %9d%n",
          r.config().failFraction(), r.reliability(), r.reliabilityFirst(), r.rmr(), r.ldh(),
          r.healingCycles(), r.payloadMsgsPerBroadcast() + r.controlMsgsPerBroadcast(),
          run.wallMs()));
    }
    return sb.toString();
  }

  private static String scenarioDetail(SimReport r) {
    SimConfig c = r.config();
    switch (r.scenario()) {
      case "mass-failure":
        return String.format(Locale.ROOT, ", fail %.2f", c.failFraction());
      case "churn":
        return String.format(Locale.ROOT, ", churn %d crash and %d join per cycle",
            c.churnPerCycle(), c.joinsPerCycle());
      default:
        return "";
    }
  }

  private static void row(StringBuilder sb, String name, String value) {
    sb.append(String.format(Locale.ROOT, "  %-34s %s%n", name, value));
  }

  private static String firstSeries(SimReport r, int digits) {
    StringBuilder sb = new StringBuilder();
    List<BroadcastStats> b = r.broadcasts();
    for (int i = 0; i < Math.min(SimReport.FIRST, b.size()); i++) {
      sb.append(i == 0 ? "" : " ").append(fmt(b.get(i).reliability(), digits));
    }
    return sb.toString();
  }

  private static String histogram(List<Integer> counts) {
    StringBuilder sb = new StringBuilder();
    for (int size = 0; size < counts.size(); size++) {
      if (counts.get(size) > 0) {
        sb.append(sb.length() == 0 ? "" : ", ").append(size).append(": ").append(counts.get(size));
      }
    }
    return sb.length() == 0 ? "-" : sb.toString();
  }

  // ---- JSON ------------------------------------------------------------------------------

  static String json(SimReport r, long wallMs, long heapMb) {
    return "{" + runFields(r) + ",\"wall_ms\":" + wallMs + ",\"heap_mb\":" + heapMb + "}";
  }

  static String sweepJson(List<Run> runs, long wallMs, long heapMb) {
    SimReport first = runs.get(0).report();
    StringBuilder sb = new StringBuilder("{");
    sb.append("\"scenario\":").append(quote(first.scenario()));
    sb.append(",\"nodes\":").append(first.config().nodes());
    sb.append(",\"seed\":").append(first.config().seed());
    sb.append(",\"runs\":[");
    for (int i = 0; i < runs.size(); i++) {
      sb.append(i == 0 ? "" : ",").append("{").append(runFields(runs.get(i).report()))
          .append(",\"wall_ms\":").append(runs.get(i).wallMs()).append("}");
    }
    sb.append("],\"wall_ms\":").append(wallMs).append(",\"heap_mb\":").append(heapMb);
    return sb.append("}").toString();
  }

  private static String runFields(SimReport r) {
    SimConfig c = r.config();
    OverlayStats o = r.overlay();
    StringBuilder sb = new StringBuilder();
    sb.append("\"scenario\":").append(quote(r.scenario()));
    sb.append(",\"nodes\":").append(c.nodes());
    sb.append(",\"seed\":").append(c.seed());
    sb.append(",\"senders\":").append(quote(c.senders().name().toLowerCase(Locale.ROOT)));
    sb.append(",\"cycles\":").append(c.cycles());
    sb.append(",\"broadcasts\":").append(r.broadcasts().size());
    sb.append(",\"payload_bytes\":").append(c.payloadBytes());
    sb.append(",\"fail\":").append(r.scenario().equals("mass-failure")
        ? fmt(c.failFraction(), 4) : "null");
    sb.append(",\"churn\":").append(r.scenario().equals("churn") ? c.churnPerCycle() : 0);
    sb.append(",\"churn_joins\":").append(r.scenario().equals("churn") ? c.joinsPerCycle() : 0);
    sb.append(",\"reliability\":").append(fmt(r.reliability(), 6));
    sb.append(",\"reliability_first\":").append(fmt(r.reliabilityFirst(), 6));
    sb.append(",\"reliability_first_series\":[");
    List<BroadcastStats> b = r.broadcasts();
    for (int i = 0; i < Math.min(SimReport.FIRST, b.size()); i++) {
      sb.append(i == 0 ? "" : ",").append(fmt(b.get(i).reliability(), 6));
    }
    sb.append("]");
    sb.append(",\"rmr\":").append(fmt(r.rmr(), 6));
    sb.append(",\"ldh\":").append(fmt(r.ldh(), 4));
    sb.append(",\"ldh_max\":").append(r.ldhMax());
    sb.append(",\"latency_ms_mean\":").append(fmt(r.latencyMsMean(), 3));
    sb.append(",\"latency_ms_p99\":").append(fmt(r.latencyMsP99(), 3));
    sb.append(",\"latency_ms_max\":").append(fmt(r.latencyMsMax(), 3));
    sb.append(",\"payload_msgs_per_broadcast\":").append(fmt(r.payloadMsgsPerBroadcast(), 3));
    sb.append(",\"control_msgs_per_broadcast\":").append(fmt(r.controlMsgsPerBroadcast(), 3));
    sb.append(",\"bytes_per_broadcast\":").append(fmt(r.bytesPerBroadcast(), 1));
    sb.append(",\"membership_msgs\":").append(r.membershipMsgs());
    sb.append(",\"healing_cycles\":").append(r.healingCycles() < 0 ? "null"
        : Integer.toString(r.healingCycles()));
    PartitionStats cut = r.partition();
    if (cut != null) {
      sb.append(",\"cut_ms\":").append(cut.cutMs());
      sb.append(",\"relink_ms\":").append(cut.relinkMs());
      sb.append(",\"remerge_ms\":").append(cut.remergeMs());
      sb.append(",\"merged_ms\":").append(cut.mergedMs());
      sb.append(",\"late_deliveries\":").append(cut.lateDeliveries());
      sb.append(",\"gaps_missed\":").append(cut.missedInGaps());
      sb.append(",\"links_across\":").append(cut.linksAcross());
      sb.append(",\"reliability_during_cut\":").append(fmt(cut.reliabilityDuringCut(), 6));
      sb.append(",\"reliability_after_heal\":").append(fmt(cut.reliabilityAfterHeal(), 6));
    }
    sb.append(",\"overlay\":{\"nodes\":").append(o.nodes());
    sb.append(",\"active_view_sizes\":").append(o.activeViewSizes().toString().replace(" ", ""));
    sb.append(",\"passive_view_sizes\":").append(o.passiveViewSizes().toString().replace(" ", ""));
    sb.append(",\"in_degrees\":").append(o.inDegrees().toString().replace(" ", ""));
    sb.append(",\"in_degree_5_share\":").append(fmt(o.inDegreeShare(5), 6));
    sb.append(",\"isolated\":").append(o.isolated());
    sb.append(",\"clustering\":").append(fmt(o.clustering(), 6));
    sb.append(",\"mean_shortest_path\":").append(fmt(o.meanShortestPath(), 4));
    sb.append("}");
    sb.append(",\"events\":").append(r.events());
    sb.append(",\"virtual_ms\":").append(r.virtualMillis());
    return sb.toString();
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  // ---- CSV -------------------------------------------------------------------------------

  static String broadcastCsv(SimReport r) {
    StringBuilder sb = new StringBuilder(
        "index,origin,sent_ms,reliability,rmr,ldh,deliveries,expected,payload_sent,"
            + "payload_received\n");
    for (BroadcastStats b : r.broadcasts()) {
      sb.append(String.format(Locale.ROOT, "%d,%d,%.3f,%.6f,%.6f,%d,%d,%d,%d,%d%n", b.index(),
          b.origin(), b.sentAtNanos() / 1e6, b.reliability(), b.rmr(), b.ldh(), b.deliveries(),
          b.expected(), b.payloadSent(), b.payloadReceived()));
    }
    return sb.toString();
  }

  static String sweepCsv(List<Run> runs) {
    StringBuilder sb = new StringBuilder(
        "fail,reliability,reliability_first,rmr,ldh,healing_cycles,payload_msgs_per_broadcast,"
            + "control_msgs_per_broadcast,bytes_per_broadcast\n");
    for (Run run : runs) {
      SimReport r = run.report();
      sb.append(String.format(Locale.ROOT, "%.4f,%.6f,%.6f,%.6f,%.4f,%d,%.3f,%.3f,%.1f%n",
          r.config().failFraction(), r.reliability(), r.reliabilityFirst(), r.rmr(), r.ldh(),
          r.healingCycles(), r.payloadMsgsPerBroadcast(), r.controlMsgsPerBroadcast(),
          r.bytesPerBroadcast()));
    }
    return sb.toString();
  }

  static String fmt(double value, int digits) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      return "null";
    }
    return String.format(Locale.ROOT, "%." + digits + "f", value);
  }
}
