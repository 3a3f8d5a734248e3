package dev.cosub.runtime.report;

import dev.cosub.runtime.io.AtomicFiles;
import dev.cosub.runtime.runs.LeaderboardRow;
import dev.cosub.runtime.stats.Statistics.Interval;
import dev.cosub.runtime.train.EpochMetrics;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * The comparison as one self-contained HTML page: the verdicts, the table, top-1 per recipe and
 * method with 95% intervals as whiskers, test top-1 learning curves against epochs and against
 * rows processed, and top-1 against training time. The charts are inline SVG drawn here, and the
 * page loads nothing: no script, font or image from anywhere.
 */
public final class HtmlReport {

    private HtmlReport() {}

    /**
     * One run's figures after each evaluated epoch.
     *
     * @param runId the run
     * @param recipeHash the recipe it belongs to
     * @param method baseline or cosub
     * @param seed its seed
     * @param rowsPerEpoch rows forward and backward per epoch: training images times the
     *     method's passes per image
     * @param epochs the evaluated epochs
     */
    public record Curve(String runId, String recipeHash, String method, long seed,
            long rowsPerEpoch, List<EpochMetrics> epochs) {

        public Curve {
            epochs = epochs.stream().filter(e -> !Double.isNaN(e.testTop1())).toList();
        }

        /** (epoch, figure) pairs of the epochs that have the figure. */
        List<double[]> points(ToDoubleFunction<EpochMetrics> figure) {
            return epochs.stream()
                    .filter(e -> !Double.isNaN(figure.applyAsDouble(e)))
                    .map(e -> new double[] {e.epoch(), figure.applyAsDouble(e)})
                    .toList();
        }
    }

    /** Writes the page to {@code file}, atomically. */
    public static void write(Path file, String title, List<Comparison.Row> rows,
            List<LeaderboardRow> runs, List<Curve> curves) throws IOException {
        AtomicFiles.writeString(file, html(title, rows, runs, curves));
    }

    /** The page. */
    public static String html(String title, List<Comparison.Row> rows,
            List<LeaderboardRow> runs, List<Curve> curves) {
        StringBuilder page = new StringBuilder();
        page.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<title>").append(Svg.escape(title)).append("</title>\n<style>")
                .append("body{font-family:sans-serif;margin:24px;color:#222;max-width:1200px}")
                .append("table{border-collapse:collapse;font-size:13px;margin:12px 0}")
                .append("th,td{border:1px solid #ccc;padding:4px 8px;text-align:right}")
                .append("th:first-child,td:first-child{text-align:left}")
                .append("th{background:#f3f3f3}.better{color:#1a7f37;font-weight:bold}")
                .append(".worse{color:#b3261e;font-weight:bold}")
                .append("svg{margin:8px 16px 8px 0}.title{font-size:14px;font-weight:bold}")
                .append(".tick{font-size:11px;fill:#444}.label{font-size:12px;fill:#222}")
                .append(".grid{stroke:#e5e5e5}.axis{stroke:#444}")
                .append(".whisker{stroke:#222;stroke-width:1.5;fill:none}")
                .append("p.note{font-size:13px;color:#555}</style></head><body>\n");
        page.append("<h1>").append(Svg.escape(title)).append("</h1>\n");
        Set<String> devices = new LinkedHashSet<>();
        runs.forEach(r -> devices.add(r.device() + ", " + r.engineVersion()));
        page.append(String.format(Locale.ROOT, "<p class=\"note\">%d runs; devices: %s;"
                        + " written %s.</p>%n", runs.size(),
                Svg.escape(String.join("; ", devices)),
                Instant.now().truncatedTo(ChronoUnit.SECONDS)));
        page.append("<h2>Verdicts</h2>\n<ul>\n");
        for (String verdict : Comparison.verdicts(rows)) {
            page.append("<li>").append(Svg.escape(verdict)).append("</li>\n");
        }
        page.append("</ul>\n<h2>Comparison</h2>\n").append(table(rows));
        page.append("<p class=\"note\">Top-1: mean over seeds with its 95% Student-t interval."
                + " Difference: cosub minus baseline, paired by seed, with its 95% interval; the"
                + " verdict reads that interval alone. With several rows, some verdict may be"
                + " wrong by chance: the Holm verdict adjusts the p-values over the rows so that"
                + " the chance of any false verdict in the table stays below 5%. Under the compute"
                + " budget the baseline trains twice the epochs (⚠: the measured times differ by"
                + " more than 10%). img/s: median over timed windows [quartiles]. Cost ratio:"
                + " cosub's cost over the baseline's from those rates and the epochs trained;"
                + " time ratio: from wall times.</p>\n");
        page.append("<h2>Test loss and fit</h2>\n").append(fitTable(rows));
        page.append("<p class=\"note\">Test loss: final, mean over seeds [95% interval];"
                + " difference: cosub minus baseline, paired by seed, below zero when cosub's"
                + " loss is lower. Clean-train gap: top-1 on a fixed sample of training images"
                + " (no augmentation, no drop-path) minus test top-1. Test loss rose: in how many"
                + " seeds the final test loss was above the run's lowest, and by how much; a loss"
                + " that turns up is the mark of overfitting.</p>\n");
        if (rows.size() > 1) {
            page.append("<h2>The difference over the settings</h2>\n")
                    .append(DifferenceMap.of(rows, DifferenceMap.Figure.TOP1))
                    .append(DifferenceMap.of(rows, DifferenceMap.Figure.TEST_LOSS))
                    .append("<p class=\"note\">One cell per comparison row: the paired"
                            + " difference, its 95% interval and the verdict. Green where cosub"
                            + " is better (higher top-1, lower loss), red where the baseline is,"
                            + " paler as the difference shrinks; a heavy outline where the"
                            + " interval excludes zero (before Holm's adjustment, which the"
                            + " tables give).</p>\n");
        }
        page.append("<h2>Test top-1 per recipe</h2>\n").append(barChart(rows));
        page.append("<h2>Learning curves</h2>\n").append(learningCurves(rows, curves));
        page.append("<p class=\"note\">Clean train top-1: the whole network in inference mode on"
                + " a fixed sample of the training images, no augmentation, no drop-path; its"
                + " distance above test top-1 is the generalisation gap. Agreement: how often two"
                + " random submodels (drop-path drawn at the training rates) rank the same class"
                + " first on a fixed test sample, which cosub trains for.</p>\n");
        page.append("<h2>Accuracy against training time</h2>\n").append(costChart(runs));
        page.append("</body></html>\n");
        return page.toString();
    }

    private static String name(Comparison.Row r) {
        return String.join(", ", recipeLines(r)) + ", " + r.budget();
    }

    /** The model and recipe, then the settings that tell the rows of a map apart. */
    private static List<String> recipeLines(Comparison.Row r) {
        LeaderboardRow e = r.example();
        return List.of(e.architecture() + "-" + e.size() + " " + e.recipeLabel(),
                String.format(Locale.ROOT, "%,d × %d, dp %s", e.trainImages(), e.epochs(),
                        Comparison.dropPath(e)));
    }

    private static String table(List<Comparison.Row> rows) {
        StringBuilder t = new StringBuilder("<table><tr><th>recipe</th><th>epochs (b/c)</th>"
                + "<th>train images</th><th>baseline top-1</th><th>cosub top-1</th>"
                + "<th>difference</th><th>verdict</th><th>Holm verdict (p)</th>"
                + "<th>seeds (b/c/paired)</th><th>baseline img/s</th><th>cosub img/s</th>"
                + "<th>cost ratio</th><th>time ratio</th><th>code</th></tr>\n");
        for (Comparison.Row r : rows) {
            t.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%d/%d</td><td>%,d</td>"
                            + "<td>%s</td><td>%s</td><td>%s</td><td%s>%s</td><td%s>%s</td>"
                            + "<td>%d/%d/%d</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td>"
                            + "<td title=\"%s\">%s</td></tr>%n",
                    Svg.escape(name(r)), r.baselineEpochs(), r.example().epochs(),
                    r.example().trainImages(), Comparison.percent(r.baseline()),
                    Comparison.percent(r.cosub()), Comparison.points(r.difference()),
                    css(r.difference().verdict()), r.difference().verdict(),
                    css(r.holmVerdict()), Svg.escape(Comparison.holm(r)),
                    r.baseline().seeds(), r.cosub().seeds(), r.difference().seeds(),
                    Comparison.rate(r.baseline()), Comparison.rate(r.cosub()),
                    Comparison.costRatio(r), Comparison.timeRatio(r),
                    Svg.escape(String.join(", ", r.codeVersions())),
                    Svg.escape(Comparison.code(r))));
        }
        return t.append("</table>\n").toString();
    }

    private static String fitTable(List<Comparison.Row> rows) {
        StringBuilder t = new StringBuilder("<table><tr><th>recipe</th><th>train images</th>"
                + "<th>drop-path</th><th>baseline test loss</th><th>cosub test loss</th>"
                + "<th>difference</th><th>verdict</th><th>Holm verdict (p)</th>"
                + "<th>clean-train gap (b / c)</th><th>test loss rose (b / c)</th>"
                + "<th>lowest at epoch (b / c)</th><th>submodel agreement (b / c)</th></tr>\n");
        for (Comparison.Row r : rows) {
            t.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%,d</td><td>%s</td>"
                            + "<td>%s</td><td>%s</td><td>%s</td><td%s>%s</td><td%s>%s</td>"
                            + "<td>%s / %s</td><td>%s / %s</td><td>%s / %s</td>"
                            + "<td>%s / %s</td></tr>%n",
                    Svg.escape(name(r)), r.example().trainImages(),
                    Comparison.dropPath(r.example()), Comparison.loss(r.baseline()),
                    Comparison.loss(r.cosub()), Comparison.lossPoints(r.lossDifference()),
                    css(r.lossDifference().verdict()), r.lossDifference().verdict(),
                    css(r.lossDifference().holmVerdict()),
                    Svg.escape(Comparison.holm(r.lossDifference())),
                    Comparison.gap(r.baseline().fit()), Comparison.gap(r.cosub().fit()),
                    Comparison.rise(r.baseline()), Comparison.rise(r.cosub()),
                    Comparison.lowestEpochs(r.baseline().fit()),
                    Comparison.lowestEpochs(r.cosub().fit()),
                    Comparison.agreement(r.baseline().fit()),
                    Comparison.agreement(r.cosub().fit())));
        }
        return t.append("</table>\n").toString();
    }

    private static String css(Comparison.Verdict verdict) {
        return verdict == Comparison.Verdict.COSUB_BETTER ? " class=\"better\""
                : verdict == Comparison.Verdict.BASELINE_BETTER ? " class=\"worse\"" : "";
    }

    /** Two bars per row with whiskers; the axis spans the data, not from zero. */
    private static String barChart(List<Comparison.Row> rows) {
        if (rows.isEmpty()) {
            return "<p>No runs.</p>\n";
        }
        double low = Double.MAX_VALUE;
        double high = -Double.MAX_VALUE;
        for (Comparison.Row r : rows) {
            for (Comparison.MethodStats stats : List.of(r.baseline(), r.cosub())) {
                if (stats.seeds() > 0) {
                    Interval ci = stats.top1Interval();
                    low = Math.min(low, ci.exists() ? ci.low() : stats.top1Mean());
                    high = Math.max(high, ci.exists() ? ci.high() : stats.top1Mean());
                }
            }
        }
        double margin = Math.max(0.01, (high - low) * 0.15);
        double yMin = Math.max(0, 100 * (low - margin));
        double yMax = Math.min(100, 100 * (high + margin));
        int width = Math.max(600, 130 * rows.size() + 120);
        Svg svg = new Svg("Mean test top-1 and 95% interval (axis not from 0)",
                width, 340, -0.6, rows.size() - 0.4, yMin, yMax)
                .axes("", "top-1 %", List.of(), Svg.ticks(yMin, yMax))
                .legend(0, Svg.BASELINE_COLOR, "baseline")
                .legend(1, Svg.COSUB_COLOR, "cosub");
        for (int i = 0; i < rows.size(); i++) {
            Comparison.Row r = rows.get(i);
            bar(svg, i - 0.18, r.baseline(), Svg.BASELINE_COLOR, "baseline " + name(r));
            bar(svg, i + 0.18, r.cosub(), Svg.COSUB_COLOR, "cosub " + name(r));
            List<String> lines = new ArrayList<>(recipeLines(r));
            lines.add(r.budget() + " budget");
            svg.xLabel(i, lines);
        }
        return svg.toString();
    }

    private static void bar(Svg svg, double center, Comparison.MethodStats stats, String color,
            String label) {
        if (stats.seeds() == 0) {
            return;
        }
        svg.bar(center, 0.32, 100 * stats.top1Mean(), color, String.format(Locale.ROOT,
                "%s: %.2f%% over %d seed(s)", label, 100 * stats.top1Mean(), stats.seeds()));
        if (stats.top1Interval().exists()) {
            svg.whisker(center, 100 * stats.top1Interval().low(),
                    100 * stats.top1Interval().high());
        }
    }

    /** Per recipe, test top-1 against epochs and against rows processed, one line per run. */
    private static String learningCurves(List<Comparison.Row> rows, List<Curve> curves) {
        Map<String, List<Curve>> byRecipe = new LinkedHashMap<>();
        curves.forEach(c -> byRecipe.computeIfAbsent(c.recipeHash(), k -> new ArrayList<>())
                .add(c));
        StringBuilder charts = new StringBuilder();
        Set<String> drawn = new LinkedHashSet<>();
        for (Comparison.Row r : rows) {
            String recipe = r.example().recipeHash();
            List<Curve> group = byRecipe.get(recipe);
            if (group == null || !drawn.add(recipe)) {
                continue;
            }
            String what = String.join(", ", recipeLines(r));
            charts.append(curveChart(what + ": test top-1 by epoch", "epoch", group, false));
            charts.append(curveChart(what + ": by rows processed (millions)",
                    "rows forward and backward (millions)", group, true));
            charts.append(diagnosticChart(what + ": clean train top-1 (dashed) and test top-1",
                    "top-1 %", group, List.of(EpochMetrics::testTop1,
                            e -> e.diagnostics().cleanTrainTop1())));
            charts.append(diagnosticChart(what + ": two random submodels agree",
                    "same top class, % of test sample", group,
                    List.of(e -> e.diagnostics().submodelAgreement())));
            charts.append(lossChart(what + ": test loss (clean train loss dashed)", group));
        }
        return charts.length() == 0
                ? "<p>No run folders with per-epoch figures here (runs merged from other"
                        + " leaderboards have none).</p>\n"
                : charts.toString();
    }

    /**
     * Figures of each run against epochs, in percent: the first figure solid, the second dashed;
     * nothing when no run has them (records from before the diagnostics).
     */
    private static String diagnosticChart(String title, String yLabel, List<Curve> curves,
            List<ToDoubleFunction<EpochMetrics>> figures) {
        List<double[]> all = new ArrayList<>();
        for (Curve c : curves) {
            figures.forEach(f -> all.addAll(c.points(f)));
        }
        if (curves.stream().allMatch(c -> c.points(figures.get(figures.size() - 1)).isEmpty())) {
            return "";
        }
        double xMax = all.stream().mapToDouble(p -> p[0]).max().orElse(1);
        double yMin = Math.max(0, Math.floor(all.stream().mapToDouble(p -> 100 * p[1]).min()
                .orElse(0) / 5) * 5);
        double yMax = Math.min(100, Math.ceil(all.stream().mapToDouble(p -> 100 * p[1]).max()
                .orElse(100) / 5) * 5);
        Svg svg = new Svg(title, 560, 320, 0, xMax, yMin, Math.max(yMax, yMin + 5))
                .axes("epoch", yLabel, Svg.ticks(0, xMax), Svg.ticks(yMin, Math.max(yMax,
                        yMin + 5)))
                .legend(0, Svg.BASELINE_COLOR, "baseline")
                .legend(1, Svg.COSUB_COLOR, "cosub");
        for (Curve c : curves) {
            String color = c.method().equals("cosub") ? Svg.COSUB_COLOR : Svg.BASELINE_COLOR;
            for (int i = 0; i < figures.size(); i++) {
                List<double[]> points = c.points(figures.get(i)).stream()
                        .map(p -> new double[] {p[0], 100 * p[1]})
                        .toList();
                svg.line(points, color, i > 0, c.runId() + " (" + c.method() + ", seed "
                        + c.seed() + ")");
            }
        }
        return svg.toString();
    }

    /**
     * Test loss against epochs, solid, and the clean train loss, dashed: a test loss that
     * bottoms out and turns up while the train loss keeps falling is overfitting.
     */
    private static String lossChart(String title, List<Curve> curves) {
        List<ToDoubleFunction<EpochMetrics>> figures = List.of(EpochMetrics::testLoss,
                e -> e.diagnostics().cleanTrainLoss());
        List<double[]> all = new ArrayList<>();
        for (Curve c : curves) {
            figures.forEach(f -> all.addAll(c.points(f)));
        }
        if (all.isEmpty()) {
            return "";
        }
        double xMax = all.stream().mapToDouble(p -> p[0]).max().orElse(1);
        double yMin = all.stream().mapToDouble(p -> p[1]).min().orElse(0);
        double yMax = all.stream().mapToDouble(p -> p[1]).max().orElse(1);
        double margin = Math.max(1e-4, 0.05 * (yMax - yMin));
        yMin = Math.max(0, yMin - margin);
        yMax += margin;
        Svg svg = new Svg(title, 560, 320, 0, xMax, yMin, yMax)
                .axes("epoch", "loss", Svg.ticks(0, xMax), Svg.ticks(yMin, yMax))
                .legend(0, Svg.BASELINE_COLOR, "baseline")
                .legend(1, Svg.COSUB_COLOR, "cosub");
        for (Curve c : curves) {
            String color = c.method().equals("cosub") ? Svg.COSUB_COLOR : Svg.BASELINE_COLOR;
            for (int i = 0; i < figures.size(); i++) {
                svg.line(c.points(figures.get(i)), color, i > 0, c.runId() + " ("
                        + c.method() + ", seed " + c.seed() + ")");
            }
        }
        return svg.toString();
    }

    private static String curveChart(String title, String xLabel, List<Curve> curves,
            boolean byRows) {
        double xMax = 0;
        double yMin = 100;
        double yMax = 0;
        for (Curve c : curves) {
            for (double[] p : c.points(EpochMetrics::testTop1)) {
                xMax = Math.max(xMax, byRows ? p[0] * c.rowsPerEpoch() / 1e6 : p[0]);
                yMin = Math.min(yMin, 100 * p[1]);
                yMax = Math.max(yMax, 100 * p[1]);
            }
        }
        yMin = Math.max(0, Math.floor(yMin / 5) * 5);
        yMax = Math.min(100, Math.ceil(yMax / 5) * 5);
        Svg svg = new Svg(title, 560, 320, 0, xMax, yMin, yMax)
                .axes(xLabel, "test top-1 %", Svg.ticks(0, xMax), Svg.ticks(yMin, yMax))
                .legend(0, Svg.BASELINE_COLOR, "baseline")
                .legend(1, Svg.COSUB_COLOR, "cosub");
        for (Curve c : curves) {
            List<double[]> points = c.points(EpochMetrics::testTop1).stream()
                    .map(p -> new double[] {byRows ? p[0] * c.rowsPerEpoch() / 1e6 : p[0],
                            100 * p[1]})
                    .toList();
            svg.line(points, c.method().equals("cosub") ? Svg.COSUB_COLOR : Svg.BASELINE_COLOR,
                    c.runId() + " (" + c.method() + ", seed " + c.seed() + ")");
        }
        return svg.toString();
    }

    private static String costChart(List<LeaderboardRow> runs) {
        if (runs.isEmpty()) {
            return "";
        }
        double xMax = runs.stream().mapToDouble(LeaderboardRow::trainSeconds).max().orElse(1);
        double yMin = Math.max(0, Math.floor(100 * runs.stream()
                .mapToDouble(LeaderboardRow::top1).min().orElse(0) / 5) * 5);
        double yMax = Math.min(100, Math.ceil(100 * runs.stream()
                .mapToDouble(LeaderboardRow::top1).max().orElse(1) / 5) * 5);
        Svg svg = new Svg("Test top-1 against training time, one point per run", 640, 360, 0,
                xMax * 1.05, yMin, yMax)
                .axes("training seconds", "test top-1 %", Svg.ticks(0, xMax * 1.05),
                        Svg.ticks(yMin, yMax))
                .legend(0, Svg.BASELINE_COLOR, "baseline")
                .legend(1, Svg.COSUB_COLOR, "cosub");
        for (LeaderboardRow r : runs) {
            svg.point(r.trainSeconds(), 100 * r.top1(),
                    r.method().equals("cosub") ? Svg.COSUB_COLOR : Svg.BASELINE_COLOR,
                    String.format(Locale.ROOT, "%s: %.2f%% in %.0f s", r.runId(),
                            100 * r.top1(), r.trainSeconds()));
        }
        return svg.toString();
    }
}
