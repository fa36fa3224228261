package io.lockstep.cli.report;

import java.util.List;
import java.util.Locale;

/**
 * The inline SVG and HTML pieces the report pages share: escaping, a labelled horizontal bar
 * chart (optionally with a reference line, such as the 1.0 of a ratio) and the page frame. The
 * pages load nothing from anywhere: no script, no stylesheet, no font.
 *
 * <p>Every chart says what it shows in machine-readable form too: a chart is an
 * {@code <svg class="chart">} with an {@code aria-label} and a {@code data-scale} (the value at
 * the full bar width), every bar a {@code <rect class="bar">} with {@code data-label} and
 * {@code data-value}, so a test (or a reader's script) can check the picture against the numbers.
 */
public final class Svg {
  /** The width, in pixels, of the bar area (labels left, values right of it). */
  public static final int BAR_AREA = 360;
  private static final int LABEL_WIDTH = 260;
  private static final int VALUE_WIDTH = 110;
  private static final int ROW = 22;

  private Svg() {}

  /** One bar: its label, its value, and how the value is written next to it. */
  public record Bar(String label, double value, String valueText) {}

  /** Escapes text for HTML and SVG content and attribute values. */
  public static String escape(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }

  /** A number for an attribute: locale-independent, enough digits to check against. */
  public static String num(double v) {
    return String.format(Locale.ROOT, "%.9g", v);
  }

  /**
   * A horizontal bar chart.
   *
   * @param title the chart's accessible name (its {@code aria-label} and {@code <title>})
   * @param bars the bars, top to bottom
   * @param reference a value marked with a vertical line and labelled (1.0 for ratios), or NaN
   * @param color the bars' fill
   */
  public static String barChart(String title, List<Bar> bars, double reference, String color) {
    double max = Double.isNaN(reference) ? 0 : reference;
    for (Bar bar : bars) {
      max = Math.max(max, bar.value());
    }
    double scale = max <= 0 ? 1 : max * 1.1;
    int height = ROW * bars.size() + 24;
    int width = LABEL_WIDTH + BAR_AREA + VALUE_WIDTH;
    StringBuilder b = new StringBuilder();
    b.append("<svg class=\"chart\" role=\"img\" width=\"").append(width)
        .append("\" height=\"").append(height).append("\" aria-label=\"").append(escape(title))
        .append("\" data-scale=\"").append(num(scale)).append("\">\n<title>").append(escape(title)).append("</title>\n");
    int y = 4;
    for (Bar bar : bars) {
      double w = Math.max(0, bar.value()) / scale * BAR_AREA;
      b.append("<text x=\"").append(LABEL_WIDTH - 6).append("\" y=\"").append(y + 15)
          .append("\" text-anchor=\"end\" font-size=\"12\" class=\"label\">").append(escape(bar.label())).append("</text>\n");
      b.append("<rect class=\"bar\" x=\"").append(LABEL_WIDTH).append("\" y=\"").append(y + 3)
          .append("\" width=\"").append(num(w)).append("\" height=\"").append(ROW - 6).append("\" fill=\"").append(color)
          .append("\" data-label=\"").append(escape(bar.label())).append("\" data-value=\"").append(num(bar.value()))
          .append("\"><title>").append(escape(bar.label() + ": " + bar.valueText())).append("</title></rect>\n");
      b.append("<text x=\"").append(num(LABEL_WIDTH + w + 4)).append("\" y=\"").append(y + 15)
          .append("\" font-size=\"12\" class=\"value\">").append(escape(bar.valueText())).append("</text>\n");
      y += ROW;
    }
    if (!Double.isNaN(reference)) {
      double x = LABEL_WIDTH + reference / scale * BAR_AREA;
      b.append("<line class=\"reference\" x1=\"").append(num(x)).append("\" x2=\"").append(num(x))
          .append("\" y1=\"0\" y2=\"").append(y).append("\" stroke=\"#c00\" stroke-dasharray=\"4 2\" data-value=\"")
          .append(num(reference)).append("\"/>\n");
      b.append("<text class=\"reference-label\" x=\"").append(num(x)).append("\" y=\"").append(y + 14)
          .append("\" text-anchor=\"middle\" font-size=\"11\" fill=\"#c00\">").append(num2(reference)).append("</text>\n");
    }
    return b.append("</svg>\n").toString();
  }

  private static String num2(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }

  /** A complete page: the title, a small inline style, and the body. */
  public static String page(String title, String body) {
    return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>" + escape(title)
        + "</title>\n<style>\nbody{font-family:sans-serif;margin:2em;color:#222}"
        + "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 8px;text-align:right}"
        + "td:first-child,th:first-child,td.text{text-align:left}figure{margin:1em 0}"
        + "figcaption{font-weight:bold}\n</style>\n</head>\n<body>\n<h1>" + escape(title) + "</h1>\n" + body
        + "</body>\n</html>\n";
  }
}
