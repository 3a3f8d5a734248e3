package dev.cosub.runtime.report;

import static dev.cosub.runtime.report.CsvFiles.fixed;

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

/**
 * Baseline against cosub, one row per architecture and recipe, over the seeds in a leaderboard.
 *
 * <p>Runs are grouped by dataset, architecture, size, epochs, batch size, learning rate,
 * drop-path rate and mode, and training images: only runs of the same recipe are compared. When a
 * configuration was run more than once (same config hash), its latest run counts, so re-running
 * a seed does not inflate the seed count.
 */
public final class Comparison {

    /** The columns of {@code comparison.csv}. Accuracies are fractions, differences too. */
    public static final List<String> HEADER = List.of(
            "dataset", "architecture", "size", "epochs", "batch_size", "learning_rate",
            "drop_path", "drop_path_mode", "train_images", "parameters",
            "baseline_seeds", "baseline_top1_mean", "baseline_top1_std",
            "baseline_train_seconds", "baseline_images_per_second",
            "cosub_seeds", "cosub_top1_mean", "cosub_top1_std",
            "cosub_train_seconds", "cosub_images_per_second",
            "top1_difference", "cost_ratio");

    private Comparison() {}

    /**
     * One architecture and recipe.
     *
     * @param recipe what the runs share
     * @param parameters trainable parameters
     * @param baseline the baseline's runs
     * @param cosub cosub's runs
     */
    public record Row(Recipe recipe, long parameters, MethodStats baseline, MethodStats cosub) {

        /** cosub's mean top-1 minus the baseline's, NaN when either has no run. */
        public double top1Difference() {
            return cosub.top1Mean() - baseline.top1Mean();
        }

        /** cosub's mean training time over the baseline's, NaN when either has no run. */
        public double costRatio() {
            return cosub.trainSecondsMean() / baseline.trainSecondsMean();
        }
    }

    /** What the compared runs of a row have in common. */
    public record Recipe(String dataset, String architecture, String size, int epochs,
            int batchSize, float learningRate, float dropPath, String dropPathMode,
            int trainImages) {

        static Recipe of(LeaderboardRow r) {
            return new Recipe(r.dataset(), r.architecture(), r.size(), r.epochs(), r.batchSize(),
                    r.learningRate(), r.dropPath(), r.dropPathMode(), r.trainImages());
        }
    }

    /**
     * One method's runs of a recipe.
     *
     * @param seeds number of runs (distinct configurations, normally distinct seeds)
     * @param top1Mean mean test top-1, NaN without runs
     * @param top1Std sample standard deviation of test top-1, NaN with fewer than two runs
     * @param trainSecondsMean mean training time
     * @param imagesPerSecondMean mean training images per second
     */
    public record MethodStats(int seeds, double top1Mean, double top1Std,
            double trainSecondsMean, double imagesPerSecondMean) {

        static MethodStats of(List<LeaderboardRow> runs) {
            int n = runs.size();
            double mean = runs.stream().mapToDouble(LeaderboardRow::top1).average().orElse(Double.NaN);
            double std = n < 2 ? Double.NaN : Math.sqrt(runs.stream()
                    .mapToDouble(r -> (r.top1() - mean) * (r.top1() - mean)).sum() / (n - 1));
            return new MethodStats(n, mean, std,
                    runs.stream().mapToDouble(LeaderboardRow::trainSeconds).average()
                            .orElse(Double.NaN),
                    runs.stream().mapToDouble(LeaderboardRow::imagesPerSecond).average()
                            .orElse(Double.NaN));
        }
    }

    /** Groups {@code runs} into comparison rows, sorted by dataset, architecture and recipe. */
    public static List<Row> of(List<LeaderboardRow> runs) {
        Map<String, LeaderboardRow> latestPerConfig = new LinkedHashMap<>();
        for (LeaderboardRow run : runs) {
            latestPerConfig.merge(run.configHash(), run,
                    (a, b) -> b.timestamp().isAfter(a.timestamp()) ? b : a);
        }
        Map<Recipe, List<LeaderboardRow>> byRecipe = new LinkedHashMap<>();
        latestPerConfig.values().forEach(
                run -> byRecipe.computeIfAbsent(Recipe.of(run), k -> new ArrayList<>()).add(run));
        List<Row> rows = new ArrayList<>();
        byRecipe.forEach((recipe, group) -> rows.add(new Row(recipe,
                group.get(0).parameters(),
                MethodStats.of(group.stream().filter(r -> r.method().equals("baseline")).toList()),
                MethodStats.of(group.stream().filter(r -> r.method().equals("cosub")).toList()))));
        rows.sort(Comparator.comparing((Row r) -> r.recipe().dataset())
                .thenComparing(r -> r.recipe().architecture())
                .thenComparing(r -> r.recipe().size())
                .thenComparingInt(r -> r.recipe().epochs())
                .thenComparingInt(r -> r.recipe().trainImages()));
        return rows;
    }

    /** Writes {@code comparison.csv}. */
    public static void writeCsv(List<Row> rows, Path file) throws IOException {
        CsvFiles.write(file, HEADER, rows.stream().map(r -> List.of(
                r.recipe().dataset(), r.recipe().architecture(), r.recipe().size(),
                Integer.toString(r.recipe().epochs()), Integer.toString(r.recipe().batchSize()),
                Float.toString(r.recipe().learningRate()), Float.toString(r.recipe().dropPath()),
                r.recipe().dropPathMode(), Integer.toString(r.recipe().trainImages()), Long.toString(r.parameters()),
                Integer.toString(r.baseline().seeds()), fixed(r.baseline().top1Mean(), 6),
                fixed(r.baseline().top1Std(), 6), fixed(r.baseline().trainSecondsMean(), 2),
                fixed(r.baseline().imagesPerSecondMean(), 1),
                Integer.toString(r.cosub().seeds()), fixed(r.cosub().top1Mean(), 6),
                fixed(r.cosub().top1Std(), 6), fixed(r.cosub().trainSecondsMean(), 2),
                fixed(r.cosub().imagesPerSecondMean(), 1),
                fixed(r.top1Difference(), 6), fixed(r.costRatio(), 3))).toList());
    }

    /** The comparison as a Markdown table with a short legend. */
    public static String markdown(List<Row> rows, List<LeaderboardRow> runs) {
        StringBuilder md = new StringBuilder("# cosub vs baseline\n\n");
        Set<String> devices = new LinkedHashSet<>();
        runs.forEach(r -> devices.add(r.device() + ", " + r.engineVersion()));
        md.append(String.format(Locale.ROOT, "%d runs; devices: %s.%n%n", runs.size(),
                String.join("; ", devices)));
        md.append("| dataset | architecture | params | epochs | train images"
                + " | baseline top-1 | cosub top-1 | difference | seeds (b/c)"
                + " | baseline img/s | cosub img/s | cost ratio |\n");
        md.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Row r : rows) {
            md.append(String.format(Locale.ROOT,
                    "| %s | %s-%s | %s | %d | %,d | %s | %s | %s | %d/%d | %s | %s | %s |%n",
                    r.recipe().dataset(), r.recipe().architecture(), r.recipe().size(),
                    compactCount(r.parameters()), r.recipe().epochs(), r.recipe().trainImages(),
                    percent(r.baseline()), percent(r.cosub()), points(r.top1Difference()),
                    r.baseline().seeds(), r.cosub().seeds(),
                    rate(r.baseline().imagesPerSecondMean()),
                    rate(r.cosub().imagesPerSecondMean()), ratio(r.costRatio())));
        }
        md.append("\nTop-1 is the test accuracy after the last epoch, as mean ± sample standard"
                + " deviation over seeds. Difference is cosub minus baseline in percentage points."
                + " img/s counts training images per second (cosub runs each image through two"
                + " submodels). Cost ratio is cosub's training time over the baseline's at equal"
                + " epochs.\n");
        return md.toString();
    }

    /** Writes {@code comparison.md}. */
    public static void writeMarkdown(List<Row> rows, List<LeaderboardRow> runs, Path file)
            throws IOException {
        AtomicFiles.writeString(file, markdown(rows, runs));
    }

    private static String percent(MethodStats stats) {
        if (stats.seeds() == 0) {
            return "–";
        }
        String mean = String.format(Locale.ROOT, "%.2f%%", 100 * stats.top1Mean());
        return stats.seeds() < 2 ? mean
                : mean + String.format(Locale.ROOT, " ± %.2f", 100 * stats.top1Std());
    }

    private static String points(double difference) {
        return Double.isFinite(difference)
                ? String.format(Locale.ROOT, "%+.2f pp", 100 * difference) : "–";
    }

    private static String rate(double imagesPerSecond) {
        return Double.isFinite(imagesPerSecond)
                ? String.format(Locale.ROOT, "%.0f", imagesPerSecond) : "–";
    }

    private static String ratio(double ratio) {
        return Double.isFinite(ratio) ? String.format(Locale.ROOT, "%.2f×", ratio) : "–";
    }

    private static String compactCount(long count) {
        return count >= 1_000_000
                ? String.format(Locale.ROOT, "%.2fM", count / 1e6)
                : String.format(Locale.ROOT, "%.0fk", count / 1e3);
    }
}
