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
            "recipe_hash",
            "baseline_test_loss_mean", "baseline_test_loss_ci_low", "baseline_test_loss_ci_high",
            "cosub_test_loss_mean", "cosub_test_loss_ci_low", "cosub_test_loss_ci_high",
            "test_loss_difference", "test_loss_difference_ci_low",
            "test_loss_difference_ci_high", "test_loss_verdict", "test_loss_p_value",
            "test_loss_holm_p_value", "test_loss_holm_verdict",
            "baseline_clean_train_top1", "baseline_generalisation_gap",
            "baseline_submodel_agreement", "baseline_test_loss_rise", "baseline_rising_seeds",
            "cosub_clean_train_top1", "cosub_generalisation_gap", "cosub_submodel_agreement",
            "cosub_test_loss_rise", "cosub_rising_seeds", "init_from");

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
     * @param difference cosub minus baseline in test top-1 over the seeds both have
     * @param lossDifference cosub minus baseline in final test loss over those seeds
     */
    public record Row(LeaderboardRow example, String budget, MethodStats baseline,
            MethodStats cosub, Difference difference, Difference lossDifference) {

        /**
         * The top-1 difference's p-value adjusted by Holm's method over the rows of its table
         * that have one; NaN below two paired seeds.
         */
        public double holmPValue() {
            return difference.holmPValue();
        }

        /** The top-1 verdict at 95% with that adjusted p-value. */
        public Verdict holmVerdict() {
            return difference.holmVerdict();
        }

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
     * @param testLossMean mean final test loss, NaN without runs
     * @param testLossInterval its 95% interval
     * @param trainSecondsMean mean training time
     * @param imagesPerSecondMean mean of the runs' median training rates
     * @param imagesPerSecondQ1Mean mean of their first quartiles (NaN when a run predates them)
     * @param imagesPerSecondQ3Mean mean of their third quartiles
     * @param trainedEpochsMean mean of the epochs the runs trained
     * @param codeVersions the code that made the runs
     * @param fit what the runs' evaluations say about overfitting
     */
    public record MethodStats(int seeds, double top1Mean, Interval top1Interval,
            double testLossMean, Interval testLossInterval,
            double trainSecondsMean, double imagesPerSecondMean, double imagesPerSecondQ1Mean,
            double imagesPerSecondQ3Mean, double trainedEpochsMean, Set<String> codeVersions,
            Fit fit) {

        static MethodStats of(List<LeaderboardRow> runs) {
            double[] top1 = runs.stream().mapToDouble(LeaderboardRow::top1).toArray();
            double[] loss = runs.stream().mapToDouble(LeaderboardRow::testLoss).toArray();
            Set<String> code = new TreeSet<>();
            runs.forEach(run -> code.add(run.codeVersion()));
            return new MethodStats(runs.size(), Statistics.mean(top1),
                    Statistics.meanInterval(top1), Statistics.mean(loss),
                    Statistics.meanInterval(loss),
                    mean(runs, LeaderboardRow::trainSeconds),
                    mean(runs, LeaderboardRow::imagesPerSecond),
                    mean(runs, LeaderboardRow::imagesPerSecondQ1),
                    mean(runs, LeaderboardRow::imagesPerSecondQ3),
                    mean(runs, LeaderboardRow::trainedEpochs), Set.copyOf(code), Fit.of(runs));
        }

        private static double mean(List<LeaderboardRow> runs,
                ToDoubleFunction<LeaderboardRow> figure) {
            return Statistics.mean(runs.stream().mapToDouble(figure).toArray());
        }
    }

    /**
     * How one method's runs of a row fit their training images; each figure NaN when a run
     * lacks it (its record predates the diagnostics).
     *
     * @param cleanTrainTop1Mean mean top-1 on a fixed sample of the training images, clean
     * @param generalisationGap that minus the mean test top-1, in [−1, 1]: how much better the
     *     network does on the images it trained on
     * @param submodelAgreementMean mean share of test images two random submodels agree on
     * @param testLossRiseMean mean of each run's final test loss minus its lowest: above zero
     *     when the test loss turned up before the end
     * @param risingSeeds how many runs ended with a test loss above their lowest, evaluated
     *     at an earlier epoch
     * @param lowestTestLossEpochs the epoch of each run's lowest test loss, in seed order
     */
    public record Fit(double cleanTrainTop1Mean, double generalisationGap,
            double submodelAgreementMean, double testLossRiseMean, int risingSeeds,
            List<Integer> lowestTestLossEpochs) {

        static Fit of(List<LeaderboardRow> runs) {
            List<LeaderboardRow> bySeed = runs.stream()
                    .sorted(Comparator.comparingLong(LeaderboardRow::seed)).toList();
            double clean = MethodStats.mean(bySeed, run -> run.fit().cleanTrainTop1());
            return new Fit(clean, clean - MethodStats.mean(bySeed, LeaderboardRow::top1),
                    MethodStats.mean(bySeed, run -> run.fit().submodelAgreement()),
                    MethodStats.mean(bySeed, run -> run.testLoss() - run.fit().lowestTestLoss()),
                    (int) bySeed.stream().filter(run -> run.fit().lowestTestLossEpoch() > 0
                            && run.fit().lowestTestLossEpoch() < run.trainedEpochs()
                            && run.testLoss() > run.fit().lowestTestLoss()).count(),
                    bySeed.stream().map(run -> run.fit().lowestTestLossEpoch())
                            .filter(epoch -> epoch > 0).toList());
        }
    }

    /**
     * A paired difference, cosub minus baseline, of one figure over the seeds both methods ran.
     *
     * @param seeds the number of such seeds
     * @param mean the mean difference, NaN without a pair
     * @param interval its 95% Student-t interval; none below two pairs
     * @param verdict what the interval says
     * @param pValue the two-sided paired t-test's p-value, NaN below two pairs
     * @param holmPValue that p-value adjusted by Holm's method over the rows of the table that
     *     have one; NaN below two pairs
     * @param holmVerdict the verdict at 95% with the adjusted p-value
     */
    public record Difference(int seeds, double mean, Interval interval, Verdict verdict,
            double pValue, double holmPValue, Verdict holmVerdict) {

        /**
         * The difference of {@code figure}.
         *
         * @param lowerIsBetter whether cosub is better when the difference is below zero, as
         *     for a loss
         */
        static Difference of(List<LeaderboardRow> baseline, List<LeaderboardRow> cosub,
                ToDoubleFunction<LeaderboardRow> figure, boolean lowerIsBetter) {
            Map<Long, Double> baselineBySeed = new LinkedHashMap<>();
            baseline.forEach(run -> baselineBySeed.put(run.seed(), figure.applyAsDouble(run)));
            double[] differences = cosub.stream()
                    .filter(run -> baselineBySeed.containsKey(run.seed()))
                    .sorted(Comparator.comparingLong(LeaderboardRow::seed))
                    .mapToDouble(run -> figure.applyAsDouble(run) - baselineBySeed.get(run.seed()))
                    .toArray();
            Interval interval = Statistics.meanInterval(differences);
            Verdict verdict = differences.length == 0 ? Verdict.NOT_PAIRED
                    : differences.length == 1 ? Verdict.ONE_SEED
                    : interval.above(0) ? better(!lowerIsBetter)
                    : interval.below(0) ? better(lowerIsBetter)
                    : Verdict.NO_DETECTABLE_DIFFERENCE;
            return new Difference(differences.length, Statistics.mean(differences), interval,
                    verdict, Statistics.tTestPValue(differences), Double.NaN, verdict);
        }

        private static Verdict better(boolean cosub) {
            return cosub ? Verdict.COSUB_BETTER : Verdict.BASELINE_BETTER;
        }

        /** This difference with its Holm-adjusted p-value and the verdict that reads it. */
        Difference withHolm(double adjusted, boolean lowerIsBetter) {
            Verdict adjustedVerdict = Double.isNaN(adjusted) ? verdict
                    : adjusted >= 1 - Statistics.CONFIDENCE ? Verdict.NO_DETECTABLE_DIFFERENCE
                    : better((mean < 0) == lowerIsBetter);
            return new Difference(seeds, mean, interval, verdict, pValue, adjusted,
                    adjustedVerdict);
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
                        MethodStats.of(cosub),
                        Difference.of(baseline, cosub, LeaderboardRow::top1, false),
                        Difference.of(baseline, cosub, LeaderboardRow::testLoss, true)));
            }
        });
        double[] holm = Statistics.holm(rows.stream()
                .mapToDouble(r -> r.difference().pValue()).toArray());
        double[] lossHolm = Statistics.holm(rows.stream()
                .mapToDouble(r -> r.lossDifference().pValue()).toArray());
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            rows.set(i, new Row(r.example(), r.budget(), r.baseline(), r.cosub(),
                    r.difference().withHolm(holm[i], false),
                    r.lossDifference().withHolm(lossHolm[i], true)));
        }
        rows.sort(Comparator.comparing((Row r) -> r.example().dataset())
                .thenComparing(r -> r.example().architecture())
                .thenComparing(r -> r.example().size())
                .thenComparing(r -> r.example().recipeLabel())
                .thenComparingInt(r -> r.example().epochs())
                .thenComparingInt(r -> r.example().trainImages())
                .thenComparingDouble(r -> r.example().dropPath())
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
                    String.join(" ", r.codeVersions()), e.recipeHash(),
                    fixed(r.baseline().testLossMean(), 6),
                    fixed(r.baseline().testLossInterval().low(), 6),
                    fixed(r.baseline().testLossInterval().high(), 6),
                    fixed(r.cosub().testLossMean(), 6),
                    fixed(r.cosub().testLossInterval().low(), 6),
                    fixed(r.cosub().testLossInterval().high(), 6),
                    fixed(r.lossDifference().mean(), 6),
                    fixed(r.lossDifference().interval().low(), 6),
                    fixed(r.lossDifference().interval().high(), 6),
                    r.lossDifference().verdict().toString(),
                    fixed(r.lossDifference().pValue(), 4),
                    fixed(r.lossDifference().holmPValue(), 4),
                    r.lossDifference().holmVerdict().toString(),
                    fixed(r.baseline().fit().cleanTrainTop1Mean(), 6),
                    fixed(r.baseline().fit().generalisationGap(), 6),
                    fixed(r.baseline().fit().submodelAgreementMean(), 6),
                    fixed(r.baseline().fit().testLossRiseMean(), 6),
                    Integer.toString(r.baseline().fit().risingSeeds()),
                    fixed(r.cosub().fit().cleanTrainTop1Mean(), 6),
                    fixed(r.cosub().fit().generalisationGap(), 6),
                    fixed(r.cosub().fit().submodelAgreementMean(), 6),
                    fixed(r.cosub().fit().testLossRiseMean(), 6),
                    Integer.toString(r.cosub().fit().risingSeeds()), e.initFrom());
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
                + " | drop-path | baseline top-1 | cosub top-1 | difference | verdict"
                + " | Holm verdict (p) | seeds (b/c/paired) | baseline img/s | cosub img/s"
                + " | cost ratio | time ratio | code |\n");
        md.append("|---|---|---|---|---:|---:|---:|---:|---:|---:|---|---|---:|---:|---:|---:"
                + "|---:|---|\n");
        for (Row r : rows) {
            LeaderboardRow e = r.example();
            md.append(String.format(Locale.ROOT,
                    "| %s | %s-%s | %s | %s | %d/%d | %,d | %s | %s | %s | %s | %s | %s"
                            + " | %d/%d/%d | %s | %s | %s | %s | %s |%n",
                    e.dataset(), e.architecture(), e.size(), e.recipeLabel(), r.budget(),
                    r.baselineEpochs(), e.epochs(), e.trainImages(), dropPath(e),
                    percent(r.baseline()),
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
        md.append(fitMarkdown(rows));
        List<Row> mixed = rows.stream().filter(Row::mixedCode).toList();
        if (!mixed.isEmpty()) {
            md.append("\n**Rows that compare runs of different code:**\n\n");
            for (Row r : mixed) {
                md.append(String.format(Locale.ROOT, "- %s-%s %s, %s budget: %s%n",
                        r.example().architecture(), r.example().size(),
                        r.example().recipeLabel(), r.budget(),
                        String.join(", ", r.codeVersions())));
            }
        }
        return md.toString();
    }

    /** The second table: test loss, its paired difference, and how each method fit. */
    private static String fitMarkdown(List<Row> rows) {
        StringBuilder md = new StringBuilder("\n## Test loss and fit\n\n");
        md.append("| architecture | recipe | budget | epochs (b/c) | train images | drop-path"
                + " | baseline test loss | cosub test loss | difference | verdict"
                + " | Holm verdict (p) | clean-train gap (b / c) | test loss rose (b / c)"
                + " | lowest at epoch (b / c) | submodel agreement (b / c) |\n");
        md.append("|---|---|---|---:|---:|---:|---:|---:|---:|---|---|---:|---:|---:|---:|\n");
        for (Row r : rows) {
            LeaderboardRow e = r.example();
            md.append(String.format(Locale.ROOT,
                    "| %s-%s | %s | %s | %d/%d | %,d | %s | %s | %s | %s | %s | %s | %s / %s"
                            + " | %s / %s | %s / %s | %s / %s |%n",
                    e.architecture(), e.size(), e.recipeLabel(), r.budget(), r.baselineEpochs(),
                    e.epochs(), e.trainImages(), dropPath(e), loss(r.baseline()),
                    loss(r.cosub()), lossPoints(r.lossDifference()),
                    r.lossDifference().verdict(), holm(r.lossDifference()),
                    gap(r.baseline().fit()), gap(r.cosub().fit()), rise(r.baseline()),
                    rise(r.cosub()), lowestEpochs(r.baseline().fit()),
                    lowestEpochs(r.cosub().fit()), agreement(r.baseline().fit()),
                    agreement(r.cosub().fit())));
        }
        md.append("\nTest loss is the final test loss, mean over seeds with its 95% interval;"
                + " difference is cosub minus baseline paired by seed (below zero: cosub's loss"
                + " is lower), with its own verdict and Holm verdict over the table's rows."
                + " Clean-train gap: top-1 on a fixed sample of 2,000 training images (whole"
                + " network, no augmentation, no drop-path) minus test top-1, in points, at the"
                + " last evaluation: how much better the network does on images it trained on."
                + " Test loss rose: in how many seeds the final test loss was above the lowest of"
                + " the run's evaluations, and by how much on average; lowest at epoch: the"
                + " epoch of that lowest evaluation per seed. A test loss that bottoms out and"
                + " turns up is the mark of overfitting. Submodel agreement: how often two"
                + " random submodels (drop-path drawn at the training rates) rank the same class"
                + " first on a fixed sample of 2,000 test images. – where the runs' records"
                + " predate these figures.\n");
        return md.toString();
    }

    /** One line per row for a build log: the difference, its interval and the verdict. */
    public static List<String> verdicts(List<Row> rows) {
        return rows.stream().map(r -> String.format(Locale.ROOT,
                "%s-%s, %s recipe, %s budget: cosub %s vs baseline %s; difference %s over %d"
                        + " paired seed(s): %s%s; cost ratio %s from median rates, time ratio %s"
                        + "%s%s",
                r.example().architecture(), r.example().size(), r.example().recipeLabel(),
                r.budget(), percent(r.cosub()), percent(r.baseline()), points(r.difference()),
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
                : withInterval("%.2f%%", "%.2f", 100, stats.top1Mean(), stats.top1Interval());
    }

    static String points(Difference difference) {
        return difference.seeds() == 0 ? "–"
                : withInterval("%+.2f pp", "%+.2f", 100, difference.mean(), difference.interval());
    }

    /** A figure times {@code scale} with its interval, when there is one, in brackets. */
    private static String withInterval(String meanFormat, String boundFormat, double scale,
            double mean, Interval interval) {
        String text = String.format(Locale.ROOT, meanFormat, scale * mean);
        return interval.exists()
                ? text + String.format(Locale.ROOT, " [" + boundFormat + ", " + boundFormat + "]",
                        scale * interval.low(), scale * interval.high())
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
        return holm(r.difference());
    }

    static String holm(Difference difference) {
        return Double.isNaN(difference.holmPValue()) ? difference.holmVerdict().toString()
                : String.format(Locale.ROOT, "%s (p = %.3f)", difference.holmVerdict(),
                        difference.holmPValue());
    }

    static String dropPath(LeaderboardRow run) {
        return String.format(Locale.ROOT, "%.2f", run.dropPath());
    }

    static String loss(MethodStats stats) {
        return stats.seeds() == 0 ? "–" : withInterval("%.4f", "%.4f", 1, stats.testLossMean(),
                stats.testLossInterval());
    }

    static String lossPoints(Difference difference) {
        return difference.seeds() == 0 ? "–" : withInterval("%+.4f", "%+.4f", 1,
                difference.mean(), difference.interval());
    }

    static String gap(Fit fit) {
        return Double.isNaN(fit.generalisationGap()) ? "–"
                : String.format(Locale.ROOT, "%+.1f pp", 100 * fit.generalisationGap());
    }

    static String rise(MethodStats stats) {
        Fit fit = stats.fit();
        return fit.lowestTestLossEpochs().isEmpty() ? "–"
                : String.format(Locale.ROOT, "%d of %d, %+.4f", fit.risingSeeds(), stats.seeds(),
                        fit.testLossRiseMean());
    }

    static String lowestEpochs(Fit fit) {
        return fit.lowestTestLossEpochs().isEmpty() ? "–" : fit.lowestTestLossEpochs().stream()
                .map(String::valueOf).collect(java.util.stream.Collectors.joining(", "));
    }

    static String agreement(Fit fit) {
        return Double.isNaN(fit.submodelAgreementMean()) ? "–"
                : String.format(Locale.ROOT, "%.1f%%", 100 * fit.submodelAgreementMean());
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
