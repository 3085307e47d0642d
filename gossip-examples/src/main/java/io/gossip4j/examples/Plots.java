package io.gossip4j.examples;

import io.gossip4j.sim.BroadcastStats;
import io.gossip4j.sim.SimReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The simulator's SVG plots: small hand-written line charts, no library. */
final class Plots {
  private Plots() {}

  /** The HyParView paper's mean reliability after x% of nodes fail at once (DESIGN section 5). */
  static final double[][] PAPER_RELIABILITY = {
    {0.1, 1.0}, {0.2, 1.0}, {0.3, 1.0}, {0.4, 1.0}, {0.5, 1.0}, {0.6, 1.0},
    {0.7, 0.999}, {0.8, 0.999}, {0.9, 0.997}, {0.95, 0.909}
  };

  private static final int WIDTH = 640;
  private static final int PANEL_HEIGHT = 260;
  private static final int LEFT = 60;
  private static final int RIGHT = 20;
  private static final int TOP = 30;
  private static final int BOTTOM = 40;

  /** A named line of points. */
  record Series(String name, String color, List<double[]> points) {}

  /** One chart: a title, axis labels, the y range and its lines. */
  record Panel(String title, String xLabel, String yLabel, double yMin, double yMax,
      List<Series> series) {}

  static String reliabilityAgainstFailures(List<ReportFormat.Run> runs) {
    List<double[]> ours = new ArrayList<>();
    double min = 1;
    for (ReportFormat.Run run : runs) {
      ours.add(new double[] {run.report().config().failFraction(), run.report().reliability()});
      min = Math.min(min, run.report().reliability());
    }
    List<double[]> paper = new ArrayList<>(List.of(PAPER_RELIABILITY));
    for (double[] p : paper) {
      min = Math.min(min, p[1]);
    }
    SimReport first = runs.get(0).report();
    return svg(List.of(new Panel(
        String.format(Locale.ROOT, "Mean reliability after a mass failure (%d nodes, %d broadcasts)",
            first.config().nodes(), first.broadcasts().size()),
        "fraction of nodes failed", "reliability", Math.floor(min * 20) / 20, 1.0,
        List.of(new Series("gossip4j", "#1f77b4", ours),
            new Series("HyParView paper", "#d62728", paper)))));
  }

  static String rmrAndLdhOverBroadcasts(SimReport r) {
    List<double[]> rmr = new ArrayList<>();
    List<double[]> ldh = new ArrayList<>();
    double rmrMax = 0.1;
    double ldhMax = 1;
    for (BroadcastStats b : r.broadcasts()) {
      rmr.add(new double[] {b.index() + 1, b.rmr()});
      ldh.add(new double[] {b.index() + 1, b.ldh()});
      rmrMax = Math.max(rmrMax, b.rmr());
      ldhMax = Math.max(ldhMax, b.ldh());
    }
    String what = String.format(Locale.ROOT, "%s, %d nodes, senders %s", r.scenario(),
        r.config().nodes(), r.config().senders().name().toLowerCase(Locale.ROOT));
    return svg(List.of(
        new Panel("RMR per broadcast (" + what + ")", "broadcast", "RMR", 0, rmrMax * 1.05,
            List.of(new Series("RMR", "#1f77b4", rmr))),
        new Panel("Last delivery hop per broadcast (" + what + ")", "broadcast", "LDH", 0,
            Math.ceil(ldhMax * 1.1), List.of(new Series("LDH", "#2ca02c", ldh)))));
  }

  static String svg(List<Panel> panels) {
    int height = panels.size() * PANEL_HEIGHT;
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
            + "font-family=\"sans-serif\" font-size=\"11\">%n", WIDTH, height));
    sb.append(String.format(Locale.ROOT,
        "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", WIDTH, height));
    for (int i = 0; i < panels.size(); i++) {
      panel(sb, panels.get(i), i * PANEL_HEIGHT);
    }
    return sb.append("</svg>\n").toString();
  }

  private static void panel(StringBuilder sb, Panel p, int y0) {
    double xMin = Double.MAX_VALUE;
    double xMax = -Double.MAX_VALUE;
    for (Series s : p.series()) {
      for (double[] pt : s.points()) {
        xMin = Math.min(xMin, pt[0]);
        xMax = Math.max(xMax, pt[0]);
      }
    }
    if (xMin > xMax) {
      xMin = 0;
      xMax = 1;
    } else if (xMin == xMax) {
      xMax = xMin + 1;
    }
    double yMin = p.yMin();
    double yMax = p.yMax() > yMin ? p.yMax() : yMin + 1;
    int plotW = WIDTH - LEFT - RIGHT;
    int plotH = PANEL_HEIGHT - TOP - BOTTOM;
    int top = y0 + TOP;
    sb.append(String.format(Locale.ROOT,
        "<text x=\"%d\" y=\"%d\" font-size=\"13\">%s</text>%n", LEFT, y0 + 18, escape(p.title())));
    sb.append(String.format(Locale.ROOT,
        "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#888\"/>%n",
        LEFT, top, plotW, plotH));
    for (int t = 0; t <= 4; t++) {
      double yv = yMin + (yMax - yMin) * t / 4;
      double py = top + plotH - plotH * t / 4.0;
      double xv = xMin + (xMax - xMin) * t / 4;
      double px = LEFT + plotW * t / 4.0;
      sb.append(String.format(Locale.ROOT,
          "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#eee\"/>%n",
          LEFT, py, LEFT + plotW, py));
      sb.append(String.format(Locale.ROOT,
          "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n", LEFT - 4, py + 4,
          tick(yv)));
      sb.append(String.format(Locale.ROOT,
          "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n", px, top + plotH + 14,
          tick(xv)));
    }
    sb.append(String.format(Locale.ROOT,
        "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>%n", LEFT + plotW / 2,
        top + plotH + 30, escape(p.xLabel())));
    sb.append(String.format(Locale.ROOT,
        "<text x=\"14\" y=\"%d\" transform=\"rotate(-90 14 %d)\" text-anchor=\"middle\">%s"
            + "</text>%n", top + plotH / 2, top + plotH / 2, escape(p.yLabel())));
    int legend = 0;
    for (Series s : p.series()) {
      StringBuilder path = new StringBuilder();
      for (double[] pt : s.points()) {
        double px = LEFT + (pt[0] - xMin) / (xMax - xMin) * plotW;
        double clamped = Math.max(yMin, Math.min(yMax, pt[1]));
        double py = top + plotH - (clamped - yMin) / (yMax - yMin) * plotH;
        path.append(path.length() == 0 ? "M" : " L")
            .append(String.format(Locale.ROOT, "%.1f %.1f", px, py));
      }
      sb.append(String.format(Locale.ROOT,
          "<path d=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\"/>%n", path,
          s.color()));
      if (s.points().size() <= 30) {
        for (double[] pt : s.points()) {
          double px = LEFT + (pt[0] - xMin) / (xMax - xMin) * plotW;
          double clamped = Math.max(yMin, Math.min(yMax, pt[1]));
          double py = top + plotH - (clamped - yMin) / (yMax - yMin) * plotH;
          sb.append(String.format(Locale.ROOT,
              "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" fill=\"%s\"/>%n", px, py, s.color()));
        }
      }
      int ly = top + 14 + 14 * legend++;
      sb.append(String.format(Locale.ROOT,
          "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"3\" fill=\"%s\"/>"
              + "<text x=\"%d\" y=\"%d\">%s</text>%n",
          LEFT + plotW - 150, ly - 4, s.color(), LEFT + plotW - 135, ly, escape(s.name())));
    }
  }

  private static String tick(double v) {
    return Math.abs(v - Math.rint(v)) < 1e-9 && Math.abs(v) >= 1
        ? String.format(Locale.ROOT, "%d", (long) Math.rint(v))
        : String.format(Locale.ROOT, "%.3f", v);
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
