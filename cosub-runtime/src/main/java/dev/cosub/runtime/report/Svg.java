package dev.cosub.runtime.report;

import java.util.List;
import java.util.Locale;

/**
 * A small SVG chart: a plot area with linear axes, ticks and labels, and marks in data
 * coordinates. Enough for bars with whiskers, lines and points, written as text into a page.
 */
final class Svg {

    static final String BASELINE_COLOR = "#4477aa";
    static final String COSUB_COLOR = "#ee6677";

    private static final int LEFT = 64;
    private static final int RIGHT = 16;
    private static final int TOP = 28;
    private static final int BOTTOM = 56;

    private final StringBuilder out = new StringBuilder();
    private final int width;
    private final int height;
    private final double xMin;
    private final double xMax;
    private final double yMin;
    private final double yMax;

    /** A chart of {@code width} x {@code height} pixels showing the given data ranges. */
    Svg(String title, int width, int height, double xMin, double xMax, double yMin,
            double yMax) {
        this.width = width;
        this.height = height;
        this.xMin = xMin;
        this.xMax = xMax == xMin ? xMin + 1 : xMax;
        this.yMin = yMin;
        this.yMax = yMax == yMin ? yMin + 1 : yMax;
        out.append(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                        + " viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"%s\">%n",
                width, height, width, height, escape(title)));
        out.append(String.format(Locale.ROOT,
                "<text x=\"%d\" y=\"18\" class=\"title\">%s</text>%n", LEFT, escape(title)));
    }

    double x(double value) {
        return LEFT + (value - xMin) / (xMax - xMin) * (width - LEFT - RIGHT);
    }

    double y(double value) {
        return height - BOTTOM - (value - yMin) / (yMax - yMin) * (height - TOP - BOTTOM);
    }

    /** Axes with ticks labelled with as many decimals as their step needs, and labels. */
    Svg axes(String xLabel, String yLabel, List<Double> xTicks, List<Double> yTicks) {
        String xFormat = tickFormat(xTicks);
        String yFormat = tickFormat(yTicks);
        double left = LEFT;
        double bottom = height - BOTTOM;
        for (double tick : yTicks) {
            out.append(String.format(Locale.ROOT,
                    "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" class=\"grid\"/>"
                            + "<text x=\"%.1f\" y=\"%.1f\" class=\"tick\" text-anchor=\"end\">%s"
                            + "</text>%n",
                    left, y(tick), width - RIGHT, y(tick), left - 6, y(tick) + 4,
                    String.format(Locale.ROOT, yFormat, tick)));
        }
        for (double tick : xTicks) {
            out.append(String.format(Locale.ROOT,
                    "<text x=\"%.1f\" y=\"%.1f\" class=\"tick\" text-anchor=\"middle\">%s</text>%n",
                    x(tick), bottom + 16, String.format(Locale.ROOT, xFormat, tick)));
        }
        out.append(String.format(Locale.ROOT,
                "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" class=\"axis\"/>%n"
                        + "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%.1f\" class=\"axis\"/>%n"
                        + "<text x=\"%.1f\" y=\"%d\" class=\"label\" text-anchor=\"middle\">%s"
                        + "</text>%n<text x=\"14\" y=\"%.1f\" class=\"label\" text-anchor=\"middle\""
                        + " transform=\"rotate(-90 14 %.1f)\">%s</text>%n",
                left, bottom, width - RIGHT, bottom, left, TOP, left, bottom,
                (left + width - RIGHT) / 2, height - 8, escape(xLabel),
                (TOP + bottom) / 2, (TOP + bottom) / 2, escape(yLabel)));
        return this;
    }

    /**
     * A label under the x axis at data position {@code at}, one line per element: long labels
     * of neighbouring bars would otherwise run into each other.
     */
    Svg xLabel(double at, List<String> lines) {
        for (int i = 0; i < lines.size(); i++) {
            out.append(String.format(Locale.ROOT,
                    "<text x=\"%.1f\" y=\"%d\" class=\"tick\" text-anchor=\"middle\">%s</text>%n",
                    x(at), height - BOTTOM + 22 + 12 * i, escape(lines.get(i))));
        }
        return this;
    }

    /** A bar from the bottom of the range to {@code value}, {@code barWidth} data units wide. */
    Svg bar(double center, double barWidth, double value, String color, String tooltip) {
        double left = x(center - barWidth / 2);
        double right = x(center + barWidth / 2);
        out.append(String.format(Locale.ROOT,
                "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\">"
                        + "<title>%s</title></rect>%n",
                left, y(value), right - left, y(yMin) - y(value), color, escape(tooltip)));
        return this;
    }

    /** A vertical whisker from {@code low} to {@code high} at {@code center}. */
    Svg whisker(double center, double low, double high) {
        double cx = x(center);
        out.append(String.format(Locale.ROOT,
                "<path d=\"M%.1f %.1fV%.1fM%.1f %.1fH%.1fM%.1f %.1fH%.1f\" class=\"whisker\"/>%n",
                cx, y(low), y(high), cx - 5, y(low), cx + 5, cx - 5, y(high), cx + 5));
        return this;
    }

    /** A line through {@code points} (x, y pairs). */
    Svg line(List<double[]> points, String color, String tooltip) {
        return line(points, color, false, tooltip);
    }

    /** A line through {@code points} (x, y pairs), solid or dashed. */
    Svg line(List<double[]> points, String color, boolean dashed, String tooltip) {
        StringBuilder d = new StringBuilder();
        for (double[] p : points) {
            d.append(d.length() == 0 ? "M" : "L")
                    .append(String.format(Locale.ROOT, "%.1f %.1f", x(p[0]), y(p[1])));
        }
        out.append(String.format(Locale.ROOT,
                "<path d=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\""
                        + " stroke-opacity=\"0.8\"%s><title>%s</title></path>%n",
                d, color, dashed ? " stroke-dasharray=\"5 3\"" : "", escape(tooltip)));
        return this;
    }

    /** A point. */
    Svg point(double px, double py, String color, String tooltip) {
        out.append(String.format(Locale.ROOT,
                "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"%s\"><title>%s</title></circle>%n",
                x(px), y(py), color, escape(tooltip)));
        return this;
    }

    /**
     * A one-unit square cell centred on ({@code cx}, {@code cy}) in data units, filled with
     * {@code color} at {@code opacity}, outlined heavily when {@code marked}, with lines of text
     * centred in it.
     */
    Svg cell(double cx, double cy, String color, double opacity, boolean marked,
            List<String> lines, String tooltip) {
        double left = x(cx - 0.5);
        double top = y(cy + 0.5);
        double cellWidth = x(cx + 0.5) - left;
        double cellHeight = y(cy - 0.5) - top;
        out.append(String.format(Locale.ROOT,
                "<g><title>%s</title><rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\""
                        + " height=\"%.1f\" fill=\"%s\" fill-opacity=\"%.2f\" stroke=\"%s\""
                        + " stroke-width=\"%s\"/>%n",
                escape(tooltip), left + 2, top + 2, cellWidth - 4, cellHeight - 4, color,
                opacity, marked ? "#222" : "#bbb", marked ? "2.5" : "1"));
        double first = top + cellHeight / 2 - 7 * (lines.size() - 1) + 4;
        for (int i = 0; i < lines.size(); i++) {
            out.append(String.format(Locale.ROOT,
                    "<text x=\"%.1f\" y=\"%.1f\" class=\"%s\" text-anchor=\"middle\">%s"
                            + "</text>%n",
                    left + cellWidth / 2, first + 14 * i, i == 0 ? "label" : "tick",
                    escape(lines.get(i))));
        }
        out.append("</g>\n");
        return this;
    }

    /** A label left of the y axis at data position {@code at}. */
    Svg yLabel(double at, String text) {
        out.append(String.format(Locale.ROOT,
                "<text x=\"%d\" y=\"%.1f\" class=\"tick\" text-anchor=\"end\">%s</text>%n",
                LEFT - 6, y(at) + 4, escape(text)));
        return this;
    }

    /** A legend entry at the top right, {@code index} entries down. */
    Svg legend(int index, String color, String text) {
        int ly = TOP + 4 + 16 * index;
        out.append(String.format(Locale.ROOT,
                "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\"/>"
                        + "<text x=\"%d\" y=\"%d\" class=\"tick\">%s</text>%n",
                width - RIGHT - 110, ly, color, width - RIGHT - 95, ly + 9, escape(text)));
        return this;
    }

    @Override
    public String toString() {
        return out + "</svg>\n";
    }

    /** About five round tick values covering [min, max]. */
    static List<Double> ticks(double min, double max) {
        double span = max - min;
        if (!(span > 0)) {
            return List.of(min);
        }
        double step = Math.pow(10, Math.floor(Math.log10(span / 5)));
        for (double factor : new double[] {1, 2, 5, 10}) {
            if (span / (step * factor) <= 6) {
                step *= factor;
                break;
            }
        }
        List<Double> ticks = new java.util.ArrayList<>();
        for (double t = Math.ceil(min / step) * step; t <= max + 1e-9; t += step) {
            ticks.add(Math.round(t / step) * step);
        }
        return ticks;
    }

    /** A format with the decimals that tell ticks {@code step} apart. */
    static String tickFormat(List<Double> ticks) {
        if (ticks.size() < 2) {
            return "%.0f";
        }
        double step = ticks.get(1) - ticks.get(0);
        return "%." + Math.max(0, (int) -Math.floor(Math.log10(step) + 1e-9)) + "f";
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                .replace("\"", "&quot;");
    }
}
