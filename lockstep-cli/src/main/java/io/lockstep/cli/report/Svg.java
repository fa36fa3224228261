package io.lockstep.cli.report;

import java.util.List;
import java.util.Locale;

/**
 * The inline SVG and HTML pieces the report pages share: escaping, a labelled horizontal bar chart
 * (optionally with a reference line, such as the 1.0 of a ratio) and the page frame. The pages load
 * nothing from anywhere: no script, no stylesheet, no font.
 *
 * <p>Every chart says what it shows in machine-readable form too: a chart is an {@code <svg
 * class="chart">} with an {@code aria-label} and a {@code data-scale} (the value at the full bar
 * width), every bar a {@code <rect class="bar">} with {@code data-label} and {@code data-value}, so
 * a test (or a reader's script) can check the picture against the numbers.
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
        b.append("<svg class=\"chart\" role=\"img\" width=\"")
                .append(width)
                .append("\" height=\"")
                .append(height)
                .append("\" aria-label=\"")
                .append(escape(title))
                .append("\" data-scale=\"")
                .append(num(scale))
                .append("\">\n<title>")
                .append(escape(title))
                .append("</title>\n");
        int y = 4;
        for (Bar bar : bars) {
            double w = Math.max(0, bar.value()) / scale * BAR_AREA;
            b.append("<text x=\"")
                    .append(LABEL_WIDTH - 6)
                    .append("\" y=\"")
                    .append(y + 15)
                    .append("\" text-anchor=\"end\" font-size=\"12\" class=\"label\">")
                    .append(escape(bar.label()))
                    .append("</text>\n");
            b.append("<rect class=\"bar\" x=\"")
                    .append(LABEL_WIDTH)
                    .append("\" y=\"")
                    .append(y + 3)
                    .append("\" width=\"")
                    .append(num(w))
                    .append("\" height=\"")
                    .append(ROW - 6)
                    .append("\" fill=\"")
                    .append(color)
                    .append("\" data-label=\"")
                    .append(escape(bar.label()))
                    .append("\" data-value=\"")
                    .append(num(bar.value()))
                    .append("\"><title>")
                    .append(escape(bar.label() + ": " + bar.valueText()))
                    .append("</title></rect>\n");
            b.append("<text x=\"")
                    .append(num(LABEL_WIDTH + w + 4))
                    .append("\" y=\"")
                    .append(y + 15)
                    .append("\" font-size=\"12\" class=\"value\">")
                    .append(escape(bar.valueText()))
                    .append("</text>\n");
            y += ROW;
        }
        if (!Double.isNaN(reference)) {
            double x = LABEL_WIDTH + reference / scale * BAR_AREA;
            b.append("<line class=\"reference\" x1=\"")
                    .append(num(x))
                    .append("\" x2=\"")
                    .append(num(x))
                    .append("\" y1=\"0\" y2=\"")
                    .append(y)
                    .append("\" stroke=\"#c00\" stroke-dasharray=\"4 2\" data-value=\"")
                    .append(num(reference))
                    .append("\"/>\n");
            b.append("<text class=\"reference-label\" x=\"")
                    .append(num(x))
                    .append("\" y=\"")
                    .append(y + 14)
                    .append("\" text-anchor=\"middle\" font-size=\"11\" fill=\"#c00\">")
                    .append(num2(reference))
                    .append("</text>\n");
        }
        return b.append("</svg>\n").toString();
    }

    private static final String[] PALETTE = {
        "#4a7ebb", "#e8912d", "#59a14f", "#e15759", "#76b7b2", "#b07aa1", "#9c755f", "#bab0ac"
    };

    /**
     * A line chart of series over categorical x values (thread counts: evenly spaced), y from 0.
     * Every series is a {@code <polyline class="series">} with {@code data-series} and {@code
     * data-points} ("x:y x:y ..."), a dot per point, and a legend entry.
     *
     * @param title the chart's accessible name
     * @param series name → x → y
     * @param xLabel what x is
     * @param yLabel what y is (with its unit)
     */
    public static String lineChart(
            String title,
            java.util.Map<String, java.util.TreeMap<Integer, Double>> series,
            String xLabel,
            String yLabel) {
        java.util.TreeSet<Integer> xs = new java.util.TreeSet<>();
        double max = 0;
        for (var s : series.values()) {
            xs.addAll(s.keySet());
            for (double y : s.values()) max = Math.max(max, y);
        }
        double scale = max <= 0 ? 1 : max * 1.1;
        int left = 70, top = 20, w = 440, h = 220, legend = 160;
        java.util.List<Integer> xList = new java.util.ArrayList<>(xs);
        java.util.function.IntToDoubleFunction xAt =
                x ->
                        left
                                + (xList.size() == 1
                                        ? w / 2.0
                                        : xList.indexOf(x) * (double) w / (xList.size() - 1));
        StringBuilder b = new StringBuilder();
        b.append("<svg class=\"chart line\" role=\"img\" width=\"")
                .append(left + w + legend + 20)
                .append("\" height=\"")
                .append(top + h + 50)
                .append("\" aria-label=\"")
                .append(escape(title))
                .append("\" data-scale=\"")
                .append(num(scale))
                .append("\">\n<title>")
                .append(escape(title))
                .append("</title>\n");
        b.append("<line x1=\"")
                .append(left)
                .append("\" x2=\"")
                .append(left + w)
                .append("\" y1=\"")
                .append(top + h)
                .append("\" y2=\"")
                .append(top + h)
                .append("\" stroke=\"#888\"/>\n<line x1=\"")
                .append(left)
                .append("\" x2=\"")
                .append(left)
                .append("\" y1=\"")
                .append(top)
                .append("\" y2=\"")
                .append(top + h)
                .append("\" stroke=\"#888\"/>\n");
        for (int x : xList) {
            b.append("<text class=\"x-tick\" x=\"")
                    .append(num(xAt.applyAsDouble(x)))
                    .append("\" y=\"")
                    .append(top + h + 16)
                    .append("\" text-anchor=\"middle\" font-size=\"11\">")
                    .append(x)
                    .append("</text>\n");
        }
        b.append("<text class=\"y-tick\" x=\"")
                .append(left - 4)
                .append("\" y=\"")
                .append(top + 4)
                .append("\" text-anchor=\"end\" font-size=\"11\">")
                .append(escape(num3(scale)))
                .append("</text>\n")
                .append("<text class=\"y-tick\" x=\"")
                .append(left - 4)
                .append("\" y=\"")
                .append(top + h)
                .append("\" text-anchor=\"end\" font-size=\"11\">0</text>\n")
                .append("<text class=\"x-label\" x=\"")
                .append(left + w / 2)
                .append("\" y=\"")
                .append(top + h + 34)
                .append("\" text-anchor=\"middle\" font-size=\"12\">")
                .append(escape(xLabel))
                .append("</text>\n")
                .append("<text class=\"y-label\" x=\"12\" y=\"")
                .append(top + h / 2)
                .append("\" font-size=\"12\" transform=\"rotate(-90 12 ")
                .append(top + h / 2)
                .append(")\" text-anchor=\"middle\">")
                .append(escape(yLabel))
                .append("</text>\n");
        int i = 0;
        for (var e : series.entrySet()) {
            String color = PALETTE[i % PALETTE.length];
            StringBuilder points = new StringBuilder();
            StringBuilder data = new StringBuilder();
            StringBuilder dots = new StringBuilder();
            for (var p : e.getValue().entrySet()) {
                double px = xAt.applyAsDouble(p.getKey());
                double py = top + h - p.getValue() / scale * h;
                points.append(num(px)).append(',').append(num(py)).append(' ');
                data.append(p.getKey()).append(':').append(num(p.getValue())).append(' ');
                dots.append("<circle cx=\"")
                        .append(num(px))
                        .append("\" cy=\"")
                        .append(num(py))
                        .append("\" r=\"3\" fill=\"")
                        .append(color)
                        .append("\"><title>")
                        .append(
                                escape(
                                        e.getKey()
                                                + ", "
                                                + p.getKey()
                                                + " threads: "
                                                + num3(p.getValue())))
                        .append("</title></circle>\n");
            }
            b.append("<polyline class=\"series\" fill=\"none\" stroke=\"")
                    .append(color)
                    .append("\" stroke-width=\"2\" points=\"")
                    .append(points.toString().trim())
                    .append("\" data-series=\"")
                    .append(escape(e.getKey()))
                    .append("\" data-points=\"")
                    .append(data.toString().trim())
                    .append("\"/>\n")
                    .append(dots);
            int ly = top + 14 + i * 18;
            b.append("<rect x=\"")
                    .append(left + w + 20)
                    .append("\" y=\"")
                    .append(ly - 9)
                    .append("\" width=\"10\" height=\"10\" fill=\"")
                    .append(color)
                    .append("\"/>\n<text class=\"legend\" x=\"")
                    .append(left + w + 36)
                    .append("\" y=\"")
                    .append(ly)
                    .append("\" font-size=\"12\">")
                    .append(escape(e.getKey()))
                    .append("</text>\n");
            i++;
        }
        return b.append("</svg>\n").toString();
    }

    /** Three significant digits, never in exponent form: 118, 60.0, 0.0830, 1234. */
    public static String num3(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) return String.valueOf(v);
        double a = Math.abs(v);
        if (a >= 100) return String.format(Locale.ROOT, "%.0f", v);
        if (a >= 10) return String.format(Locale.ROOT, "%.1f", v);
        if (a >= 1) return String.format(Locale.ROOT, "%.2f", v);
        if (a == 0) return "0";
        return new java.math.BigDecimal(v)
                .round(new java.math.MathContext(3))
                .stripTrailingZeros()
                .toPlainString();
    }

    private static String num2(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    /** A complete page: the title, a small inline style, and the body. */
    public static String page(String title, String body) {
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>"
                + escape(title)
                + "</title>\n<style>\nbody{font-family:sans-serif;margin:2em;color:#222}"
                + "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 8px;text-align:right}"
                + "td:first-child,th:first-child,td.text{text-align:left}figure{margin:1em 0}"
                + "figcaption{font-weight:bold}\n</style>\n</head>\n<body>\n<h1>"
                + escape(title)
                + "</h1>\n"
                + body
                + "</body>\n</html>\n";
    }
}
