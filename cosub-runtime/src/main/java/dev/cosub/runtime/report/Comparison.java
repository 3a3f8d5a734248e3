package dev.cosub.runtime.report;

import static dev.cosub.runtime.report.CsvFiles.fixed;

import dev.cosub.runtime.report.Statistics.Interval;
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
            "cosub_seeds", "cosub_top1_mean", "cosub_top1_ci_low", "cosub_top1_ci_high",
            "cosub_train_seconds", "cosub_images_per_second",
            "paired_seeds", "top1_difference", "top1_difference_ci_low",
            "top1_difference_ci_high", "verdict", "cost_ratio", "recipe_hash");

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
     */
    public record Row(LeaderboardRow example, String budget, MethodStats baseline,
            MethodStats cosub, Difference difference) {

        /** cosub's mean training time over the baseline's, NaN when either has no run. */
        public double costRatio() {
            return cosub.trainSecondsMean() / baseline.trainSecondsMean();
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
     */
    public record MethodStats(int seeds, double top1Mean, Interval top1Interval,
            double trainSecondsMean, double imagesPerSecondMean) {

        static MethodStats of(List<LeaderboardRow> runs) {
            double[] top1 = runs.stream().mapToDouble(LeaderboardRow::top1).toArray();
            return new MethodStats(runs.size(), Statistics.mean(top1),
                    Statistics.meanInterval(top1),
                    Statistics.mean(runs.stream().mapToDouble(LeaderboardRow::trainSeconds)
                            .toArray()),
                    Statistics.mean(runs.stream().mapToDouble(LeaderboardRow::imagesPerSecond)
                            .toArray()));
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
     */
    public record Difference(int seeds, double mean, Interval interval, Verdict verdict) {

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
                    verdict);
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
                rows.add(new Row(group.get(0), budget, MethodStats.of(baseline),
                        MethodStats.of(cosub), Difference.of(baseline, cosub)));
            }
        });
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
                    Integer.toString(r.cosub().seeds()), fixed(r.cosub().top1Mean(), 6),
                    fixed(r.cosub().top1Interval().low(), 6),
                    fixed(r.cosub().top1Interval().high(), 6),
                    fixed(r.cosub().trainSecondsMean(), 2),
                    fixed(r.cosub().imagesPerSecondMean(), 1),
                    Integer.toString(r.difference().seeds()), fixed(r.difference().mean(), 6),
                    fixed(r.difference().interval().low(), 6),
                    fixed(r.difference().interval().high(), 6),
                    r.difference().verdict().toString(), fixed(r.costRatio(), 3),
                    e.recipeHash());
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
                + " | baseline top-1 | cosub top-1 | difference | verdict | seeds (b/c/paired)"
                + " | baseline img/s | cosub img/s | cost ratio |\n");
        md.append("|---|---|---|---|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|\n");
        for (Row r : rows) {
            LeaderboardRow e = r.example();
            md.append(String.format(Locale.ROOT,
                    "| %s | %s-%s | %s | %s | %d/%d | %,d | %s | %s | %s | %s | %d/%d/%d | %s | %s"
                            + " | %s |%n",
                    e.dataset(), e.architecture(), e.size(), e.recipe(), r.budget(),
                    r.baselineEpochs(), e.epochs(), e.trainImages(), percent(r.baseline()),
                    percent(r.cosub()), points(r.difference()), r.difference().verdict(),
                    r.baseline().seeds(), r.cosub().seeds(), r.difference().seeds(),
                    rate(r.baseline().imagesPerSecondMean()),
                    rate(r.cosub().imagesPerSecondMean()), ratio(r.costRatio())));
        }
        md.append("\nTop-1 is the test accuracy after the last epoch: the mean over seeds and its"
                + " 95% Student-t interval. Difference is cosub minus baseline in percentage"
                + " points, paired by seed over the seeds both methods ran, with its 95% interval;"
                + " the verdict says whether that interval lies above zero, below it, or"
                + " includes it. With one seed there is no interval. Under the compute budget the"
                + " baseline trains twice the epochs, as many rows forward and backward as cosub."
                + " img/s counts training images per second (cosub runs each image through two"
                + " submodels); cost ratio is cosub's training time over the baseline's.\n");
        return md.toString();
    }

    /** One line per row for a build log: the difference, its interval and the verdict. */
    public static List<String> verdicts(List<Row> rows) {
        return rows.stream().map(r -> String.format(Locale.ROOT,
                "%s-%s, %s recipe, %s budget: cosub %s vs baseline %s; difference %s over %d"
                        + " paired seed(s): %s",
                r.example().architecture(), r.example().size(), r.example().recipe(), r.budget(),
                percent(r.cosub()), percent(r.baseline()), points(r.difference()),
                r.difference().seeds(), r.difference().verdict())).toList();
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

    private static String rate(double imagesPerSecond) {
        return Double.isFinite(imagesPerSecond)
                ? String.format(Locale.ROOT, "%.0f", imagesPerSecond) : "–";
    }

    private static String ratio(double ratio) {
        return Double.isFinite(ratio) ? String.format(Locale.ROOT, "%.2f×", ratio) : "–";
    }
}
