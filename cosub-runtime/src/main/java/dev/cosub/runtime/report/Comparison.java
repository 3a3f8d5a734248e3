package dev.cosub.runtime.report;

import static dev.cosub.runtime.io.CsvFiles.fixed;

import dev.cosub.runtime.io.AtomicFiles;
import dev.cosub.runtime.io.CsvFiles;
import dev.cosub.runtime.runs.LeaderboardRow;
import dev.cosub.runtime.stats.Statistics.Interval;
import dev.cosub.runtime.stats.Statistics;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;

/**
 * Baseline against cosub: one row per recipe (runs with the same recipe hash: everything but
 * method, seed and budget in common) and budget. For each method, the mean test top-1 over its
 * seeds with a 95% Student-t interval; the paired difference cosub minus baseline over the seeds
 * both have, with its own interval; and a verdict from that interval. When a configuration was
 * run more than once (same config hash), its latest run counts, so a rerun does not count as
 * another seed.
 *
 * <p>Under the compute budget the baseline trains twice the epochs; cosub's runs are the same
 * under both budgets, so they appear in both rows.
 */
public final class Comparison {

    /** The columns of {@code comparison.csv}. Accuracies are fractions, differences too. */
    public static final List<String> HEADER = List.of(
            "dataset", "architecture", "size", "recipe", "budget", "epochs", "baseline_epochs",
            "batch_size", "learning_rate", "drop_path", "drop_path_mode", "train_images",
            "parameters",
            "baseline_seeds", "baseline_top1_mean", "baseline_top1_ci_low",
            "baseline_top1_ci_high", "baseline_train_seconds", "baseline_images_per_second",
            "baseline_images_per_second_q1", "baseline_images_per_second_q3",
            "cosub_seeds", "cosub_top1_mean", "cosub_top1_ci_low", "cosub_top1_ci_high",
            "cosub_train_seconds", "cosub_images_per_second", "cosub_images_per_second_q1",
            "cosub_images_per_second_q3",
            "paired_seeds", "top1_difference", "top1_difference_ci_low",
            "top1_difference_ci_high", "verdict", "p_value", "holm_p_value", "holm_verdict",
            "cost_ratio", "cost_ratio_low", "cost_ratio_high", "time_ratio", "code_versions",
            "recipe_hash");

    /** How far from 1, in percent, an equal-compute row's time ratio may be unflagged. */
    static final int EQUAL_TIME_TOLERANCE_PERCENT = 10;

    private Comparison() {}

    /** What the paired difference says at 95%. */
    public enum Verdict {
        COSUB_BETTER("cosub better"),
        NO_DETECTABLE_DIFFERENCE("no detectable difference"),
        BASELINE_BETTER("baseline better"),
        ONE_SEED("one paired seed: no interval"),
        NOT_PAIRED("no seed run with both methods");

        private final String text;

        Verdict(String text) {
            this.text = text;
        }

        @Override
        public String toString() {
            return text;
        }
    }

    /**
     * One recipe under one budget.
     *
     * @param example a run of the recipe, for what the runs share
     * @param budget {@code epochs} or {@code compute}
     * @param baseline the baseline's runs under this budget
     * @param cosub cosub's runs
     * @param difference cosub minus baseline over the seeds both have
     * @param holmPValue the difference's p-value adjusted by Holm's method over the rows of its
     *     table that have one; NaN below two paired seeds
     * @param holmVerdict the verdict at 95% with that adjusted p-value
     */
    public record Row(LeaderboardRow example, String budget, MethodStats baseline,
            MethodStats cosub, Difference difference, double holmPValue, Verdict holmVerdict) {

        /**
         * cosub's training cost over the baseline's, from the median training rates: each
         * method's trained epochs over its rate. Load that slows a whole run changes the wall
         * times but not this; NaN when either method has no run.
         */
        public double costRatio() {
            return cost(cosub, cosub.imagesPerSecondMean()) / cost(baseline,
                    baseline.imagesPerSecondMean());
        }

        /** The cost ratio with the rates at their quartiles, cosub slow and the baseline fast. */
        public double costRatioHigh() {
            return cost(cosub, cosub.imagesPerSecondQ1Mean()) / cost(baseline,
                    baseline.imagesPerSecondQ3Mean());
        }

        /** The cost ratio with cosub at its upper quartile and the baseline at its lower one. */
        public double costRatioLow() {
            return cost(cosub, cosub.imagesPerSecondQ3Mean()) / cost(baseline,
                    baseline.imagesPerSecondQ1Mean());
        }

        private static double cost(MethodStats stats, double imagesPerSecond) {
            return stats.trainedEpochsMean() / imagesPerSecond;
        }

        /** cosub's mean wall training time over the baseline's, as measured. */
        public double timeRatio() {
            return cosub.trainSecondsMean() / baseline.trainSecondsMean();
        }

        /**
         * Whether this row holds compute equal (equal rows forward and backward) while its
         * measured times differ by more than {@value #EQUAL_TIME_TOLERANCE_PERCENT}%.
         */
        public boolean unequalTime() {
            return budget.equals("compute")
                    && Math.abs(timeRatio() - 1) > EQUAL_TIME_TOLERANCE_PERCENT / 100.0;
        }

        /** The code versions of the row's runs, both methods. */
        public Set<String> codeVersions() {
            Set<String> versions = new TreeSet<>(baseline.codeVersions());
            versions.addAll(cosub.codeVersions());
            return versions;
        }

        /** Whether the row compares runs made by different code. */
        public boolean mixedCode() {
            return codeVersions().size() > 1;
        }

        /** The epochs the baseline trains: twice the recipe's under the compute budget. */
        public int baselineEpochs() {
            return budget.equals("compute") ? 2 * example.epochs() : example.epochs();
        }
    }

    /**
     * One method's runs of a row.
     *
     * @param seeds number of runs (distinct configurations, normally distinct seeds)
     * @param top1Mean mean test top-1, NaN without runs
     * @param top1Interval 95% Student-t interval of the mean; none below two runs
     * @param trainSecondsMean mean training time
     * @param imagesPerSecondMean mean of the runs' median training rates
     * @param imagesPerSecondQ1Mean mean of their first quartiles (NaN when a run predates them)
     * @param imagesPerSecondQ3Mean mean of their third quartiles
     * @param trainedEpochsMean mean of the epochs the runs trained
     * @param codeVersions the code that made the runs
     */
    public record MethodStats(int seeds, double top1Mean, Interval top1Interval,
            double trainSecondsMean, double imagesPerSecondMean, double imagesPerSecondQ1Mean,
            double imagesPerSecondQ3Mean, double trainedEpochsMean, Set<String> codeVersions) {

        static MethodStats of(List<LeaderboardRow> runs) {
            double[] top1 = runs.stream().mapToDouble(LeaderboardRow::top1).toArray();
            Set<String> code = new TreeSet<>();
            runs.forEach(run -> code.add(run.codeVersion()));
            return new MethodStats(runs.size(), Statistics.mean(top1),
                    Statistics.meanInterval(top1),
                    mean(runs, LeaderboardRow::trainSeconds),
                    mean(runs, LeaderboardRow::imagesPerSecond),
                    mean(runs, LeaderboardRow::imagesPerSecondQ1),
                    mean(runs, LeaderboardRow::imagesPerSecondQ3),
                    mean(runs, LeaderboardRow::trainedEpochs), Set.copyOf(code));
        }

        private static double mean(List<LeaderboardRow> runs,
                ToDoubleFunction<LeaderboardRow> figure) {
            return Statistics.mean(runs.stream().mapToDouble(figure).toArray());
        }
    }

    /**
     * The paired difference of test top-1, cosub minus baseline, over the seeds both methods
     * ran.
     *
     * @param seeds the number of such seeds
     * @param mean the mean difference, NaN without a pair
     * @param interval its 95% Student-t interval; none below two pairs
     * @param verdict what the interval says
     * @param pValue the two-sided paired t-test's p-value, NaN below two pairs
     */
    public record Difference(int seeds, double mean, Interval interval, Verdict verdict,
            double pValue) {

        static Difference of(List<LeaderboardRow> baseline, List<LeaderboardRow> cosub) {
            Map<Long, Double> baselineBySeed = new LinkedHashMap<>();
            baseline.forEach(run -> baselineBySeed.put(run.seed(), run.top1()));
            double[] differences = cosub.stream()
                    .filter(run -> baselineBySeed.containsKey(run.seed()))
                    .sorted(Comparator.comparingLong(LeaderboardRow::seed))
                    .mapToDouble(run -> run.top1() - baselineBySeed.get(run.seed()))
                    .toArray();
            Interval interval = Statistics.meanInterval(differences);
            Verdict verdict = differences.length == 0 ? Verdict.NOT_PAIRED
                    : differences.length == 1 ? Verdict.ONE_SEED
                    : interval.above(0) ? Verdict.COSUB_BETTER
                    : interval.below(0) ? Verdict.BASELINE_BETTER
                    : Verdict.NO_DETECTABLE_DIFFERENCE;
            return new Difference(differences.length, Statistics.mean(differences), interval,
                    verdict, Statistics.tTestPValue(differences));
        }
    }

    /** Groups {@code runs} into comparison rows, sorted by dataset, architecture and recipe. */
    public static List<Row> of(List<LeaderboardRow> runs) {
        Map<String, LeaderboardRow> latestPerConfig = new LinkedHashMap<>();
        for (LeaderboardRow run : runs) {
            latestPerConfig.merge(run.configHash(), run,
                    (a, b) -> b.timestamp().isAfter(a.timestamp()) ? b : a);
        }
        Map<String, List<LeaderboardRow>> byRecipe = new LinkedHashMap<>();
        latestPerConfig.values().forEach(run ->
                byRecipe.computeIfAbsent(run.recipeHash(), k -> new ArrayList<>()).add(run));
        List<Row> rows = new ArrayList<>();
        byRecipe.forEach((recipe, group) -> {
            List<LeaderboardRow> cosub = group.stream()
                    .filter(r -> r.method().equals("cosub")).toList();
            Set<String> budgets = new TreeSet<>(Comparator.comparing(
                    budget -> budget.equals("epochs") ? 0 : 1));
            group.stream().filter(r -> r.method().equals("baseline"))
                    .forEach(r -> budgets.add(r.budget()));
            if (budgets.isEmpty()) {
                budgets.add("epochs");
            }
            for (String budget : budgets) {
                List<LeaderboardRow> baseline = group.stream()
                        .filter(r -> r.method().equals("baseline") && r.budget().equals(budget))
                        .toList();
                Difference difference = Difference.of(baseline, cosub);
                rows.add(new Row(group.get(0), budget, MethodStats.of(baseline),
                        MethodStats.of(cosub), difference, Double.NaN, difference.verdict()));
            }
        });
        double[] holm = Statistics.holm(rows.stream().mapToDouble(r -> r.difference().pValue())
                .toArray());
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            Verdict adjusted = Double.isNaN(holm[i]) ? r.difference().verdict()
                    : holm[i] >= 1 - Statistics.CONFIDENCE ? Verdict.NO_DETECTABLE_DIFFERENCE
                    : r.difference().mean() > 0 ? Verdict.COSUB_BETTER : Verdict.BASELINE_BETTER;
            rows.set(i, new Row(r.example(), r.budget(), r.baseline(), r.cosub(),
                    r.difference(), holm[i], adjusted));
        }
        rows.sort(Comparator.comparing((Row r) -> r.example().dataset())
                .thenComparing(r -> r.example().architecture())
                .thenComparing(r -> r.example().size())
                .thenComparing(r -> r.example().recipe())
                .thenComparingInt(r -> r.example().epochs())
                .thenComparingInt(r -> r.example().trainImages())
                .thenComparing(r -> r.example().recipeHash())
                .thenComparing(r -> r.budget().equals("epochs") ? 0 : 1));
        return rows;
    }

    /** Writes {@code comparison.csv}. */
    public static void writeCsv(List<Row> rows, Path file) throws IOException {
        CsvFiles.write(file, HEADER, rows.stream().map(r -> {
            LeaderboardRow e = r.example();
            return List.of(e.dataset(), e.architecture(), e.size(), e.recipe(), r.budget(),
                    Integer.toString(e.epochs()), Integer.toString(r.baselineEpochs()),
                    Integer.toString(e.batchSize()), Float.toString(e.learningRate()),
                    Float.toString(e.dropPath()), e.dropPathMode(),
                    Integer.toString(e.trainImages()), Long.toString(e.parameters()),
                    Integer.toString(r.baseline().seeds()), fixed(r.baseline().top1Mean(), 6),
                    fixed(r.baseline().top1Interval().low(), 6),
                    fixed(r.baseline().top1Interval().high(), 6),
                    fixed(r.baseline().trainSecondsMean(), 2),
                    fixed(r.baseline().imagesPerSecondMean(), 1),
                    fixed(r.baseline().imagesPerSecondQ1Mean(), 1),
                    fixed(r.baseline().imagesPerSecondQ3Mean(), 1),
                    Integer.toString(r.cosub().seeds()), fixed(r.cosub().top1Mean(), 6),
                    fixed(r.cosub().top1Interval().low(), 6),
                    fixed(r.cosub().top1Interval().high(), 6),
                    fixed(r.cosub().trainSecondsMean(), 2),
                    fixed(r.cosub().imagesPerSecondMean(), 1),
                    fixed(r.cosub().imagesPerSecondQ1Mean(), 1),
                    fixed(r.cosub().imagesPerSecondQ3Mean(), 1),
                    Integer.toString(r.difference().seeds()), fixed(r.difference().mean(), 6),
                    fixed(r.difference().interval().low(), 6),
                    fixed(r.difference().interval().high(), 6),
                    r.difference().verdict().toString(), fixed(r.difference().pValue(), 4),
                    fixed(r.holmPValue(), 4), r.holmVerdict().toString(),
                    fixed(r.costRatio(), 3), fixed(r.costRatioLow(), 3),
                    fixed(r.costRatioHigh(), 3), fixed(r.timeRatio(), 3),
                    String.join(" ", r.codeVersions()), e.recipeHash());
        }).toList());
    }

    /** The comparison as a Markdown table with a short legend. */
    public static String markdown(List<Row> rows, List<LeaderboardRow> runs) {
        StringBuilder md = new StringBuilder("# cosub vs baseline\n\n");
        Set<String> devices = new LinkedHashSet<>();
        runs.forEach(r -> devices.add(r.device() + ", " + r.engineVersion()));
        md.append(String.format(Locale.ROOT, "%d runs; devices: %s.%n%n", runs.size(),
                String.join("; ", devices)));
        md.append("| dataset | architecture | recipe | budget | epochs (b/c) | train images"
                + " | baseline top-1 | cosub top-1 | difference | verdict | Holm verdict (p)"
                + " | seeds (b/c/paired) | baseline img/s | cosub img/s | cost ratio | time ratio"
                + " | code |\n");
        md.append("|---|---|---|---|---:|---:|---:|---:|---:|---|---|---:|---:|---:|---:|---:"
                + "|---|\n");
        for (Row r : rows) {
            LeaderboardRow e = r.example();
            md.append(String.format(Locale.ROOT,
                    "| %s | %s-%s | %s | %s | %d/%d | %,d | %s | %s | %s | %s | %s | %d/%d/%d"
                            + " | %s | %s | %s | %s | %s |%n",
                    e.dataset(), e.architecture(), e.size(), e.recipe(), r.budget(),
                    r.baselineEpochs(), e.epochs(), e.trainImages(), percent(r.baseline()),
                    percent(r.cosub()), points(r.difference()), r.difference().verdict(),
                    holm(r), r.baseline().seeds(), r.cosub().seeds(), r.difference().seeds(),
                    rate(r.baseline()), rate(r.cosub()), costRatio(r), timeRatio(r),
                    code(r)));
        }
        md.append("\nTop-1 is the test accuracy after the last epoch: the mean over seeds and its"
                + " 95% Student-t interval. Difference is cosub minus baseline in percentage"
                + " points, paired by seed over the seeds both methods ran, with its 95% interval;"
                + " the verdict says whether that interval lies above zero, below it, or"
                + " includes it. With one seed there is no interval. A table of several rows"
                + " makes several such claims, and at 95% each one of them can be wrong by chance:"
                + " the Holm verdict adjusts the paired t-test's p-values over the table's rows so"
                + " that the chance of any false verdict in the whole table stays below 5%."
                + " Under the compute budget the baseline trains twice the epochs, as many rows"
                + " forward and backward as cosub: equal images, which is equal time only if both"
                + " process rows at the same rate; ⚠ marks a row whose measured times differ by"
                + " more than " + EQUAL_TIME_TOLERANCE_PERCENT + "%."
                + " img/s counts training images per second (cosub runs each image through two"
                + " submodels): the median over timed windows, averaged over seeds, with the"
                + " quartiles in brackets. Cost ratio is cosub's training cost over the"
                + " baseline's from those median rates and the epochs each trained (in brackets,"
                + " the same with the quartiles), which load that slows a whole run does not"
                + " change; time ratio is the ratio of their measured wall training times."
                + " Code names the cosub version and commit that made the runs.\n");
        List<Row> mixed = rows.stream().filter(Row::mixedCode).toList();
        if (!mixed.isEmpty()) {
            md.append("\n**Rows that compare runs of different code:**\n\n");
            for (Row r : mixed) {
                md.append(String.format(Locale.ROOT, "- %s-%s %s, %s budget: %s%n",
                        r.example().architecture(), r.example().size(), r.example().recipe(),
                        r.budget(), String.join(", ", r.codeVersions())));
            }
        }
        return md.toString();
    }

    /** One line per row for a build log: the difference, its interval and the verdict. */
    public static List<String> verdicts(List<Row> rows) {
        return rows.stream().map(r -> String.format(Locale.ROOT,
                "%s-%s, %s recipe, %s budget: cosub %s vs baseline %s; difference %s over %d"
                        + " paired seed(s): %s%s; cost ratio %s from median rates, time ratio %s"
                        + "%s%s",
                r.example().architecture(), r.example().size(), r.example().recipe(), r.budget(),
                percent(r.cosub()), percent(r.baseline()), points(r.difference()),
                r.difference().seeds(), r.difference().verdict(),
                rows.size() > 1 && !Double.isNaN(r.holmPValue())
                        ? " (Holm-adjusted over " + rows.size() + " rows: " + holm(r) + ")" : "",
                costRatio(r), timeRatio(r),
                r.unequalTime() ? " (equal compute, but not equal time)" : "",
                r.mixedCode() ? "; mixed code: " + String.join(", ", r.codeVersions()) : ""))
                .toList();
    }

    /** Writes {@code comparison.md}. */
    public static void writeMarkdown(List<Row> rows, List<LeaderboardRow> runs, Path file)
            throws IOException {
        AtomicFiles.writeString(file, markdown(rows, runs));
    }

    static String percent(MethodStats stats) {
        return stats.seeds() == 0 ? "–"
                : withInterval("%.2f%%", "%.2f", stats.top1Mean(), stats.top1Interval());
    }

    static String points(Difference difference) {
        return difference.seeds() == 0 ? "–"
                : withInterval("%+.2f pp", "%+.2f", difference.mean(), difference.interval());
    }

    /** A fraction in percent with its interval, when there is one, in brackets. */
    private static String withInterval(String meanFormat, String boundFormat, double mean,
            Interval interval) {
        String text = String.format(Locale.ROOT, meanFormat, 100 * mean);
        return interval.exists()
                ? text + String.format(Locale.ROOT, " [" + boundFormat + ", " + boundFormat + "]",
                        100 * interval.low(), 100 * interval.high())
                : text;
    }

    /** The median rate with its quartiles, when the runs have them. */
    static String rate(MethodStats stats) {
        if (!Double.isFinite(stats.imagesPerSecondMean())) {
            return "–";
        }
        String median = String.format(Locale.ROOT, "%.0f", stats.imagesPerSecondMean());
        return Double.isFinite(stats.imagesPerSecondQ1Mean())
                ? median + String.format(Locale.ROOT, " [%.0f–%.0f]",
                        stats.imagesPerSecondQ1Mean(), stats.imagesPerSecondQ3Mean())
                : median;
    }

    static String costRatio(Row r) {
        String ratio = ratio(r.costRatio());
        return Double.isFinite(r.costRatioLow()) && Double.isFinite(r.costRatio())
                ? ratio + String.format(Locale.ROOT, " [%.2f–%.2f]", r.costRatioLow(),
                        r.costRatioHigh())
                : ratio;
    }

    static String timeRatio(Row r) {
        return ratio(r.timeRatio()) + (r.unequalTime() ? " ⚠" : "");
    }

    static String holm(Row r) {
        return Double.isNaN(r.holmPValue()) ? r.holmVerdict().toString()
                : String.format(Locale.ROOT, "%s (p = %.3f)", r.holmVerdict(), r.holmPValue());
    }

    static String code(Row r) {
        Set<String> versions = r.codeVersions();
        return versions.size() > 1 ? "mixed: " + versions.size() + " versions"
                : versions.isEmpty() ? "–" : versions.iterator().next();
    }

    private static String ratio(double ratio) {
        return Double.isFinite(ratio) ? String.format(Locale.ROOT, "%.2f×", ratio) : "–";
    }
}
