package io.gossip4j.examples;

import io.gossip4j.sim.BroadcastStats;
import io.gossip4j.sim.SimReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The simulator's SVG plots: small hand-written line charts, no library. */
final class Plots {
  private Plots() {}

  /** The HyParView paper's mean reliability after x% of nodes fail at once (Leitão et al., DSN 2007). */
  static final double[][] PAPER_RELIABILITY = {
    {0.1, 1.0}, {0.2, 1.0}, {0.3, 1.0}, {0.4, 1.0}, {0.5, 1.0}, {0.6, 1.0},
    {0.7, 0.999}, {0.8, 0.999}, {0.9, 0.997}, {0.95, 0.909}
  };

  private static final int WIDTH = 640;
  private static final int PANEL_HEIGHT = 260;
  private static final int LEFT = 60;
  private static final int RIGHT = 20;
  private static final int TOP = 46;
  private static final int BOTTOM = 40;

  /** A named line of points. */
  record Series(String name, String color, List<double[]> points) {}

  /** A horizontal reference line, such as a paper's figure, with its label. */
  record Reference(String label, String color, double y) {}

  /**
   * One chart: a title, axis labels with units, the y range (a log scale where values span
   * decades: values at or below {@code yMin} are drawn at it), its lines and reference lines.
   */
  record Panel(String title, String xLabel, String yLabel, double yMin, double yMax,
      boolean logX, boolean logY, List<Series> series, List<Reference> references) {
    Panel(String title, String xLabel, String yLabel, double yMin, double yMax,
        List<Series> series) {
      this(title, xLabel, yLabel, yMin, yMax, false, false, series, List.of());
    }

    Panel(String title, String xLabel, String yLabel, double yMin, double yMax,
        boolean logY, List<Series> series, List<Reference> references) {
      this(title, xLabel, yLabel, yMin, yMax, false, logY, series, references);
    }
  }

  /** The PlumTree paper's stable-swarm figures (SRDS 2007): RMR 0, LDH 10 (8.3 optimized). */
  private static final double PAPER_LDH = 10;
  private static final double PAPER_LDH_OPTIMIZED = 8.3;
  private static final double PAPER_LDH_RANDOM = 17;
  /** Where an RMR of 0 is drawn on the log scale. */
  private static final double RMR_FLOOR = 1e-4;

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
        "fraction of nodes failed at once", "mean reliability (share of live nodes reached)",
        Math.floor(min * 20) / 20, 1.0,
        List.of(new Series("gossip4j", "#1f77b4", ours),
            new Series("HyParView paper", "#d62728", paper)))));
  }

  static String rmrAndLdhOverBroadcasts(SimReport r) {
    List<double[]> rmr = new ArrayList<>();
    List<double[]> ldh = new ArrayList<>();
    double rmrMax = 0.1;
    double ldhMax = PAPER_LDH_RANDOM;
    for (BroadcastStats b : r.broadcasts()) {
      rmr.add(new double[] {b.index() + 1, b.rmr()});
      ldh.add(new double[] {b.index() + 1, b.ldh()});
      rmrMax = Math.max(rmrMax, b.rmr());
      ldhMax = Math.max(ldhMax, b.ldh());
    }
    double rmrTop = Math.pow(10, Math.ceil(Math.log10(rmrMax)));
    String what = String.format(Locale.ROOT, "%s, %d nodes, senders %s", r.scenario(),
        r.config().nodes(), r.config().senders().name().toLowerCase(Locale.ROOT));
    return svg(List.of(
        new Panel("RMR per broadcast (" + what + ")", "broadcast (in the order sent)",
            "RMR (copies beyond one, log; 0 at 0.0001)", RMR_FLOOR,
            rmrTop, true, List.of(new Series("gossip4j", "#1f77b4", rmr)), List.of()),
        new Panel("Last delivery hop per broadcast (" + what + ")", "broadcast (in the order sent)",
            "LDH (hops)", 0, Math.ceil(ldhMax * 1.1), false,
            List.of(new Series("gossip4j", "#2ca02c", ldh)),
            paperLdh(r))));
  }

  /** The paper's LDH for this run's senders, as reference lines. */
  private static List<Reference> paperLdh(SimReport r) {
    return switch (r.config().senders()) {
      case SINGLE -> List.of(
          new Reference("PlumTree paper, one sender: 10", "#d62728", PAPER_LDH),
          new Reference("paper, optimized: 8.3", "#ff7f0e", PAPER_LDH_OPTIMIZED));
      case RANDOM -> List.of(
          new Reference("PlumTree paper, random senders, optimized: ~17", "#d62728",
              PAPER_LDH_RANDOM));
      default -> List.of();
    };
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
        if (p.logX() && pt[0] <= 0) {
          continue; // not on a log axis: drawn at its left end, not stretching it
        }
        xMin = Math.min(xMin, pt[0]);
        xMax = Math.max(xMax, pt[0]);
      }
    }
    if (xMin > xMax) {
      xMin = p.logX() ? 1 : 0;
      xMax = p.logX() ? 10 : 1;
    } else if (xMin == xMax) {
      xMax = xMin + 1;
    }
    if (p.logX()) {
      // Whole decades, so the ticks fall at the ends too.
      xMin = Math.pow(10, Math.floor(Math.log10(Math.max(xMin, 1e-9))));
      xMax = Math.pow(10, Math.ceil(Math.log10(Math.max(xMax, xMin * 10))));
    }
    double yMin = p.yMin();
    double yMax = p.yMax() > yMin ? p.yMax() : yMin + 1;
    Axis x = new Axis(xMin, xMax, p.logX(), LEFT, WIDTH - LEFT - RIGHT);
    // The legend sits between the title and the plot, so it covers no line: in one row if it
    // fits, else the entries that do not fit go to a second row and the plot starts lower.
    List<Integer> legendRows = legendRows(p);
    int extraRows = legendRows.get(legendRows.size() - 1);
    int plotH = PANEL_HEIGHT - TOP - BOTTOM - LEGEND_ROW * extraRows;
    int top = y0 + TOP + LEGEND_ROW * extraRows;
    Axis y = new Axis(yMin, yMax, p.logY(), top + plotH, -plotH);
    int plotW = WIDTH - LEFT - RIGHT;
    sb.append(String.format(Locale.ROOT,
        "<text x=\"%d\" y=\"%d\" font-size=\"13\">%s</text>%n", LEFT, y0 + 16,
        escape(p.title())));
    sb.append(String.format(Locale.ROOT,
        "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#888\"/>%n",
        LEFT, top, plotW, plotH));
    for (double yv : y.ticks()) {
      double py = y.at(yv);
      sb.append(String.format(Locale.ROOT,
          "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#eee\"/>%n",
          LEFT, py, LEFT + plotW, py));
      sb.append(String.format(Locale.ROOT,
          "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n", LEFT - 4, py + 4,
          tick(yv)));
    }
    for (double xv : x.ticks()) {
      sb.append(String.format(Locale.ROOT,
          "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n", x.at(xv),
          top + plotH + 14, tick(xv)));
    }
    sb.append(String.format(Locale.ROOT,
        "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>%n", LEFT + plotW / 2,
        top + plotH + 30, escape(p.xLabel())));
    sb.append(String.format(Locale.ROOT,
        "<text x=\"12\" y=\"%d\" transform=\"rotate(-90 12 %d)\" text-anchor=\"middle\""
            + " font-size=\"10\">%s</text>%n", top + plotH / 2, top + plotH / 2,
        escape(p.yLabel())));
    int entry = 0;
    int legendX = LEFT;
    for (Series s : p.series()) {
      StringBuilder path = new StringBuilder();
      for (double[] pt : s.points()) {
        path.append(path.length() == 0 ? "M" : " L")
            .append(String.format(Locale.ROOT, "%.1f %.1f", x.at(pt[0]), y.at(pt[1])));
      }
      sb.append(String.format(Locale.ROOT,
          "<path d=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\"/>%n", path,
          s.color()));
      if (s.points().size() <= 30) {
        for (double[] pt : s.points()) {
          sb.append(String.format(Locale.ROOT,
              "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" fill=\"%s\"/>%n", x.at(pt[0]),
              y.at(pt[1]), s.color()));
        }
      }
      legendX = legend(sb, legendX, y0, legendRows, entry++, s.color(), s.name(), false);
    }
    for (Reference r : p.references()) {
      double py = y.at(r.y());
      sb.append(String.format(Locale.ROOT,
          "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"%s\" "
              + "stroke-dasharray=\"5 3\"/>%n", LEFT, py, LEFT + plotW, py, r.color()));
      legendX = legend(sb, legendX, y0, legendRows, entry++, r.color(), r.label(), true);
    }
  }

  private static final int LEGEND_ROW = 14;

  /** The width a legend entry takes. */
  private static int legendWidth(String name) {
    return 28 + 6 * name.length();
  }

  /** The row (0 or more) of each legend entry, series first, then reference lines. */
  private static List<Integer> legendRows(Panel p) {
    List<String> names = new ArrayList<>();
    p.series().forEach(s -> names.add(s.name()));
    p.references().forEach(r -> names.add(r.label()));
    List<Integer> rows = new ArrayList<>();
    int x = LEFT;
    int row = 0;
    for (String name : names) {
      if (x > LEFT && x + legendWidth(name) > WIDTH - RIGHT) {
        row++;
        x = LEFT;
      }
      rows.add(row);
      x += legendWidth(name);
    }
    if (rows.isEmpty()) {
      rows.add(0);
    }
    return rows;
  }

  /** Legend entry {@code entry} of a panel at {@code y0}; returns where the next one starts. */
  private static int legend(StringBuilder sb, int x, int y0, List<Integer> rows, int entry,
      String color, String name, boolean dashed) {
    if (entry > 0 && !rows.get(entry).equals(rows.get(entry - 1))) {
      x = LEFT;
    }
    int y = y0 + 34 + LEGEND_ROW * rows.get(entry);
    sb.append(String.format(Locale.ROOT,
        "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2\"%s/>"
            + "<text x=\"%d\" y=\"%d\">%s</text>%n",
        x, y - 4, x + 14, y - 4, color, dashed ? " stroke-dasharray=\"4 2\"" : "", x + 18, y,
        escape(name)));
    return x + legendWidth(name);
  }

  /** A linear or log axis from values to pixels, and its ticks at round values. */
  private record Axis(double min, double max, boolean log, double origin, double length) {
    double at(double v) {
      double clamped = Math.max(min, Math.min(max, v));
      double share = log
          ? (Math.log10(clamped) - Math.log10(min)) / (Math.log10(max) - Math.log10(min))
          : (clamped - min) / (max - min);
      return origin + share * length;
    }

    List<Double> ticks() {
      List<Double> ticks = new ArrayList<>();
      if (log) {
        for (double v = Math.pow(10, Math.ceil(Math.log10(min) - 1e-9)); v <= max * (1 + 1e-9);
            v *= 10) {
          ticks.add(v);
        }
        return ticks;
      }
      double raw = (max - min) / 5;
      double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
      double step = magnitude;
      for (double m : new double[] {1, 2, 5, 10}) {
        if (m * magnitude >= raw) {
          step = m * magnitude;
          break;
        }
      }
      for (double v = Math.ceil(min / step - 1e-9) * step; v <= max + step * 1e-9; v += step) {
        ticks.add(Math.abs(v) < step * 1e-9 ? 0 : v);
      }
      return ticks;
    }
  }

  /** A round tick value written as briefly as it is: 250, 0.95, 0.001. */
  private static String tick(double v) {
    if (Math.abs(v - Math.rint(v)) < 1e-9) {
      return String.format(Locale.ROOT, "%d", (long) Math.rint(v));
    }
    return new java.math.BigDecimal(v).round(new java.math.MathContext(6)).stripTrailingZeros()
        .toPlainString();
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
