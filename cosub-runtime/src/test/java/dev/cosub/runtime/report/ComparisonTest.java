package dev.cosub.runtime.report;

import static dev.cosub.runtime.runs.LeaderboardRows.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cosub.runtime.runs.LeaderboardRow;
import dev.cosub.runtime.runs.LeaderboardRows;
import dev.cosub.runtime.stats.Statistics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The comparison's statistics, checked against values computed by hand. */
class ComparisonTest {

    /** The 97.5% quantile of Student's t with 2 degrees of freedom. */
    private static final double T2 = 4.302652729911275;

    private static List<LeaderboardRow> runs(double[] baseline, double[] cosub) {
        List<LeaderboardRow> runs = new ArrayList<>();
        for (int seed = 0; seed < baseline.length; seed++) {
            runs.add(row("b" + seed, "vit", "baseline", seed, baseline[seed], "b" + seed));
        }
        for (int seed = 0; seed < cosub.length; seed++) {
            runs.add(row("c" + seed, "vit", "cosub", seed, cosub[seed], "c" + seed));
        }
        return runs;
    }

    @Test
    void meansIntervalsAndThePairedDifferenceByHand() {
        // Differences 0.03, 0.02, 0.01: mean 0.02, s = 0.01, half-width t(2) * 0.01 / sqrt(3).
        Comparison.Row r = Comparison.of(runs(new double[] {0.80, 0.82, 0.81},
                new double[] {0.83, 0.84, 0.82})).get(0);

        double half = T2 * 0.01 / Math.sqrt(3);
        assertEquals(3, r.baseline().seeds());
        assertEquals(0.81, r.baseline().top1Mean(), 1e-12);
        assertEquals(0.81 - half, r.baseline().top1Interval().low(), 1e-9);
        assertEquals(0.81 + half, r.baseline().top1Interval().high(), 1e-9);
        assertEquals(0.83, r.cosub().top1Mean(), 1e-12);
        assertEquals(3, r.difference().seeds());
        assertEquals(0.02, r.difference().mean(), 1e-12);
        assertEquals(0.02 - half, r.difference().interval().low(), 1e-9);
        assertEquals(0.02 + half, r.difference().interval().high(), 1e-9);
        assertEquals(Comparison.Verdict.NO_DETECTABLE_DIFFERENCE, r.difference().verdict(),
                "the interval [-0.48, +4.48] pp includes zero");
        assertEquals(2.0, r.costRatio(), 1e-12);
    }

    /**
     * The case: a loaded machine stretched the baseline's wall time, so wall times give
     * 1.09x while the median rates, 839 against 451 img/s, say cosub costs 1.86x.
     */
    @Test
    void theCostRatioComesFromTheMedianRatesNotFromWallTimesThatLoadCanStretch() {
        List<LeaderboardRow> runs = new ArrayList<>();
        for (int seed = 0; seed < 2; seed++) {
            runs.add(LeaderboardRows.timed(row("b" + seed, "vit", "baseline", seed, 0.80,
                    "b" + seed), 1_000, 839, "v1"));
            runs.add(LeaderboardRows.timed(row("c" + seed, "vit", "cosub", seed, 0.80,
                    "c" + seed), 1_090, 451, "v1"));
        }
        Comparison.Row r = Comparison.of(runs).get(0);

        assertEquals(839.0 / 451.0, r.costRatio(), 1e-12);
        assertEquals(0.9 * 839 / (1.1 * 451), r.costRatioLow(), 1e-12);
        assertEquals(1.1 * 839 / (0.9 * 451), r.costRatioHigh(), 1e-12);
        assertEquals(1.09, r.timeRatio(), 1e-12);
        assertFalse(r.mixedCode());
        String md = Comparison.markdown(List.of(r), runs);
        assertTrue(md.contains("| 1.86× [1.52–2.27] | 1.09× |"), md);
    }

    /**
     * Under the compute budget the baseline trains twice cosub's epochs: equal images. When its
     * time is more than 10% away from cosub's, the row says so; the cost ratio from the rates
     * counts the epochs each trained.
     */
    @Test
    void anEqualComputeRowSaysWhenItsTimesAreNotEqual() {
        List<LeaderboardRow> runs = new ArrayList<>();
        runs.add(LeaderboardRows.timed(row("b", "vit", "baseline", "compute", 0, 0.80, "b",
                "r"), 1_160, 1_400, "v1"));
        runs.add(LeaderboardRows.timed(row("c", "vit", "cosub", "epochs", 0, 0.80, "c", "r"),
                1_000, 600, "v1"));
        Comparison.Row r = Comparison.of(runs).get(0);

        assertEquals("compute", r.budget());
        assertEquals((3.0 / 600) / (6.0 / 1_400), r.costRatio(), 1e-12);
        assertEquals(1_000.0 / 1_160, r.timeRatio(), 1e-12);
        assertTrue(r.unequalTime(), "0.86x is more than 10% from 1");
        assertTrue(Comparison.verdicts(List.of(r)).get(0).contains("not equal time"));
        Comparison.Row equal = Comparison.of(List.of(
                LeaderboardRows.timed(runs.get(0), 1_050, 1_400, "v1"), runs.get(1))).get(0);
        assertFalse(equal.unequalTime(), "0.95x is within 10%");
    }

    @Test
    void aRowOfRunsMadeByDifferentCodeSaysSo() {
        List<LeaderboardRow> runs = new ArrayList<>();
        runs.add(LeaderboardRows.timed(row("b", "vit", "baseline", 0, 0.80, "b"), 60, 1_400,
                "0.1.0@aaaaaaaaaaaa"));
        runs.add(LeaderboardRows.timed(row("c", "vit", "cosub", 0, 0.81, "c"), 120, 700,
                "0.1.0@bbbbbbbbbbbb+changes"));
        runs.add(LeaderboardRows.timed(row("x", "pit", "baseline", 0, 0.80, "x"), 60, 1_400,
                "0.1.0@aaaaaaaaaaaa"));
        List<Comparison.Row> rows = Comparison.of(runs);

        Comparison.Row mixed = rows.stream().filter(r -> r.example().architecture().equals("vit"))
                .findFirst().orElseThrow();
        assertTrue(mixed.mixedCode());
        assertEquals(java.util.Set.of("0.1.0@aaaaaaaaaaaa", "0.1.0@bbbbbbbbbbbb+changes"),
                mixed.codeVersions());
        String md = Comparison.markdown(rows, runs);
        assertTrue(md.contains("mixed: 2 versions"), md);
        assertTrue(md.contains("- vit-nano simple, epochs budget: 0.1.0@aaaaaaaaaaaa,"
                + " 0.1.0@bbbbbbbbbbbb+changes"), md);
        assertFalse(rows.stream().filter(r -> r.example().architecture().equals("pit"))
                .findFirst().orElseThrow().mixedCode());
    }

    /** Runs fine-tuned from trained weights are a row of their own, named by those weights. */
    @Test
    void fineTunedRunsAreARowOfTheirOwnNamedByTheirStart() {
        List<LeaderboardRow> runs = new ArrayList<>();
        for (int seed = 0; seed < 2; seed++) {
            LeaderboardRow baseline = row("b" + seed, "convnext", "baseline", seed, 0.80,
                    "b" + seed);
            LeaderboardRow cosub = row("c" + seed, "convnext", "cosub", seed, 0.81, "c" + seed);
            runs.addAll(List.of(baseline, cosub,
                    LeaderboardRows.fineTuned(baseline, "pretrain/runs/fmnist-run"),
                    LeaderboardRows.fineTuned(cosub, "pretrain/runs/fmnist-run")));
        }
        List<Comparison.Row> rows = Comparison.of(runs);
        assertEquals(List.of("simple", "simple, from fmnist-run"),
                rows.stream().map(r -> r.example().recipeLabel()).toList());
        assertEquals(2, rows.get(1).difference().seeds());
        String md = Comparison.markdown(rows, runs);
        assertTrue(md.contains("| convnext-nano | simple, from fmnist-run | epochs |"), md);
    }

    /**
     * Four rows, one of them with p of about 0.04: a verdict on its own, none once Holm adjusts
     * over the four (0.04 x 4 > 0.05), as with ConvNeXt's equal-epoch row in docs/results.
     */
    @Test
    void holmAdjustsTheVerdictsOverTheRowsOfATable() {
        List<LeaderboardRow> runs = new ArrayList<>();
        String[] architectures = {"convnext", "vit", "pit", "xcit"};
        double[][] cosub = {{0.798, 0.796, 0.794}, {0.81, 0.79, 0.80}, {0.80, 0.81, 0.79},
            {0.80, 0.79, 0.81}};
        for (int a = 0; a < architectures.length; a++) {
            for (int seed = 0; seed < 3; seed++) {
                runs.add(row(architectures[a] + "b" + seed, architectures[a], "baseline", seed,
                        0.80 - 0.001 * seed, architectures[a] + "b" + seed));
                runs.add(row(architectures[a] + "c" + seed, architectures[a], "cosub", seed,
                        cosub[a][seed], architectures[a] + "c" + seed));
            }
        }
        List<Comparison.Row> rows = Comparison.of(runs);
        Comparison.Row convnext = rows.get(0);

        assertEquals("convnext", convnext.example().architecture());
        assertEquals(Comparison.Verdict.BASELINE_BETTER, convnext.difference().verdict());
        double p = convnext.difference().pValue();
        assertTrue(p < 0.05 && p > 0.0125, "p = " + p);
        assertEquals(Comparison.Verdict.NO_DETECTABLE_DIFFERENCE, convnext.holmVerdict());
        assertEquals(Math.min(1, 4 * p), convnext.holmPValue(), 1e-12,
                "the smallest of four p-values is multiplied by four");
        assertTrue(Comparison.markdown(rows, runs).contains("Holm verdict"));
    }

    @Test
    void holmStepsDownAndKeepsTheOrder() {
        double[] adjusted = Statistics.holm(new double[] {0.01, Double.NaN, 0.04, 0.03, 0.5});
        assertEquals(0.04, adjusted[0], 1e-12, "smallest of 4: x4");
        assertTrue(Double.isNaN(adjusted[1]), "no test, no adjustment");
        assertEquals(0.09, adjusted[3], 1e-12, "second: x3");
        assertEquals(0.09, adjusted[2], 1e-12, "third: 0.04 x 2 = 0.08, raised to 0.09");
        assertEquals(0.5, adjusted[4], 1e-12, "last: x1");
        // Differences 0.03, 0.02, 0.01: t = 0.02 / (0.01 / sqrt 3) = 3.4641 on 2 degrees of
        // freedom, two-sided p = 0.07418 (R: 2 * pt(-3.4641, 2)).
        assertEquals(0.07418, Statistics.tTestPValue(new double[] {0.03, 0.02, 0.01}), 1e-5);
    }

    @Test
    void aConsistentDifferenceIsAVerdictEitherWay() {
        // Differences 0.030, 0.031, 0.029: s = 0.001, interval [2.75, 3.25] pp.
        Comparison.Row better = Comparison.of(runs(new double[] {0.80, 0.80, 0.80},
                new double[] {0.830, 0.831, 0.829})).get(0);
        assertEquals(Comparison.Verdict.COSUB_BETTER, better.difference().verdict());
        assertEquals(0.03 - T2 * 0.001 / Math.sqrt(3), better.difference().interval().low(),
                1e-9);
        Comparison.Row worse = Comparison.of(runs(new double[] {0.830, 0.831, 0.829},
                new double[] {0.80, 0.80, 0.80})).get(0);
        assertEquals(Comparison.Verdict.BASELINE_BETTER, worse.difference().verdict());
        assertTrue(Comparison.verdicts(List.of(worse)).get(0).contains(
                "difference -3.00 pp [-3.25, -2.75] over 3 paired seed(s): baseline better;"
                        + " cost ratio 2.00× [1.73–2.31] from median rates, time ratio 2.00×"),
                Comparison.verdicts(List.of(worse)).get(0));
    }

    /**
     * The final test losses of ConvNeXt-nano in issue 22's probe, 1,000 images, 200 epochs:
     * differences -0.0063, -0.0040, -0.0029, mean -0.0044, s = 0.0017349 (by hand), so the
     * interval is -0.0044 +- t(2) * s / sqrt 3 = [-0.00871, -0.00009]: below zero, and lower is
     * better for a loss, so cosub is better on loss while top-1 shows no difference.
     */
    @Test
    void theTestLossDifferenceIsPairedAndLowerIsBetter() {
        double[] baselineLoss = {0.0982, 0.0956, 0.0907};
        double[] cosubLoss = {0.0919, 0.0916, 0.0878};
        List<LeaderboardRow> runs = new ArrayList<>();
        for (LeaderboardRow r : runs(new double[] {0.8262, 0.8170, 0.8356},
                new double[] {0.8279, 0.8261, 0.8297})) {
            boolean cosub = r.method().equals("cosub");
            int seed = (int) r.seed();
            double loss = cosub ? cosubLoss[seed] : baselineLoss[seed];
            runs.add(LeaderboardRows.fitted(r, loss, new LeaderboardRow.FitSummary(
                    cosub ? 0.963 : 0.955, cosub ? 0.97 : 0.96, loss - 0.004 * (2 - seed),
                    seed == 2 ? 3 : 2)));
        }
        Comparison.Row r = Comparison.of(runs).get(0);

        double s = Math.sqrt((Math.pow(-0.0063 + 0.0044, 2) + Math.pow(-0.0040 + 0.0044, 2)
                + Math.pow(-0.0029 + 0.0044, 2)) / 2);
        assertEquals(-0.0044, r.lossDifference().mean(), 1e-12);
        assertEquals(-0.0044 - T2 * s / Math.sqrt(3), r.lossDifference().interval().low(), 1e-9);
        assertEquals(-0.0044 + T2 * s / Math.sqrt(3), r.lossDifference().interval().high(), 1e-9);
        assertTrue(r.lossDifference().interval().high() < 0);
        assertEquals(Comparison.Verdict.COSUB_BETTER, r.lossDifference().verdict());
        assertEquals(Comparison.Verdict.COSUB_BETTER, r.lossDifference().holmVerdict(),
                "one row: Holm changes nothing");
        assertEquals(Comparison.Verdict.NO_DETECTABLE_DIFFERENCE, r.difference().verdict());
        assertEquals(0.0948333, r.baseline().testLossMean(), 1e-6);

        // Seeds 0 and 1 ended 0.008 and 0.004 above their lowest (epoch 2 of 3); seed 2's
        // lowest was its last epoch.
        Comparison.Fit fit = r.baseline().fit();
        assertEquals(0.955, fit.cleanTrainTop1Mean(), 1e-12);
        assertEquals(0.955 - r.baseline().top1Mean(), fit.generalisationGap(), 1e-12);
        assertEquals(0.96, fit.submodelAgreementMean(), 1e-12);
        assertEquals(2, fit.risingSeeds());
        assertEquals(0.004, fit.testLossRiseMean(), 1e-12);
        assertEquals(List.of(2, 2, 3), fit.lowestTestLossEpochs());

        String md = Comparison.markdown(List.of(r), runs);
        assertTrue(md.contains("| vit-nano | simple | epochs | 3/3 | 10,000 | 0.10"
                + " | 0.0948 [0.0854, 0.1043] | 0.0904 [0.0848, 0.0961]"
                + " | -0.0044 [-0.0087, -0.0001] | cosub better | cosub better (p = 0.048)"
                + " | +12.9 pp / +13.5 pp | 2 of 3, +0.0040 / 2 of 3, +0.0040 | 2, 2, 3 / 2, 2, 3"
                + " | 96.0% / 97.0% |"), md);
    }

    @Test
    void withOneSeedNoIntervalIsGiven() {
        Comparison.Row r = Comparison.of(runs(new double[] {0.80}, new double[] {0.82})).get(0);
        assertFalse(r.baseline().top1Interval().exists());
        assertFalse(r.difference().interval().exists());
        assertEquals(Comparison.Verdict.ONE_SEED, r.difference().verdict());
        String md = Comparison.markdown(List.of(r), List.of());
        assertTrue(md.contains("| 80.00% | 82.00% | +2.00 pp | one paired seed: no interval |"),
                md);
    }

    @Test
    void onlySeedsRunWithBothMethodsArePaired() {
        Comparison.Row r = Comparison.of(runs(new double[] {0.80, 0.81},
                new double[] {0.82, 0.83, 0.90})).get(0);
        assertEquals(3, r.cosub().seeds());
        assertEquals(2, r.difference().seeds());
        assertEquals(0.02, r.difference().mean(), 1e-12);
    }

    @Test
    void theComputeBudgetIsItsOwnRowWithTheSameCosubRuns() {
        List<LeaderboardRow> runs = new ArrayList<>(runs(new double[] {0.80, 0.81},
                new double[] {0.82, 0.83}));
        runs.add(row("x0", "vit", "baseline", "compute", 0, 0.83, "x0", "vit-recipe"));
        runs.add(row("x1", "vit", "baseline", "compute", 1, 0.84, "x1", "vit-recipe"));

        List<Comparison.Row> rows = Comparison.of(runs);

        assertEquals(List.of("epochs", "compute"), rows.stream().map(Comparison.Row::budget)
                .toList());
        assertEquals(3, rows.get(0).baselineEpochs());
        assertEquals(6, rows.get(1).baselineEpochs(), "twice the epochs");
        assertEquals(0.835, rows.get(1).baseline().top1Mean(), 1e-12);
        assertEquals(rows.get(0).cosub(), rows.get(1).cosub());
        assertEquals(-0.01, rows.get(1).difference().mean(), 1e-12);
    }

    @Test
    void aRerunConfigurationCountsOnceWithItsLatestResult() {
        LeaderboardRow old = row("old", "vit", "cosub", 0, 0.50, "same");
        LeaderboardRow newer = row("new", "vit", "cosub", 0, 0.70, "same");
        newer = new LeaderboardRow(newer.runId(), old.timestamp().plusSeconds(60),
                newer.dataset(), newer.architecture(), newer.size(), newer.method(),
                newer.recipe(), newer.budget(), newer.seed(), newer.epochs(), newer.batchSize(),
                newer.learningRate(), newer.dropPath(), newer.dropPathMode(), newer.lambda(),
                newer.trainImages(), newer.parameters(), newer.top1(), newer.top5(),
                newer.testLoss(), newer.trainSeconds(), newer.imagesPerSecond(),
                newer.trainFlopsPerSecond(), newer.device(), newer.engineVersion(),
                newer.configHash(), newer.recipeHash(), newer.trainedEpochs(),
                newer.imagesPerSecondQ1(), newer.imagesPerSecondQ3(), newer.codeVersion(),
                newer.fit(), newer.initFrom());

        Comparison.Row r = Comparison.of(List.of(newer, old)).get(0);

        assertEquals(1, r.cosub().seeds());
        assertEquals(0.70, r.cosub().top1Mean(), 1e-12);
        assertEquals(0, r.baseline().seeds());
        assertEquals(Comparison.Verdict.NOT_PAIRED, r.difference().verdict());
    }

    @Test
    void differentRecipesAreSeparateRows() {
        List<LeaderboardRow> runs = List.of(row("v", "vit", "cosub", 0, 0.8, "v"),
                row("p", "pit", "cosub", 0, 0.8, "p"),
                row("l", "vit", "cosub", "epochs", 0, 0.9, "l", "vit-longer"));
        assertEquals(3, Comparison.of(runs).size());
    }

    @Test
    void writesCsvWithItsHeaderAndAMarkdownTable(@TempDir Path dir) throws Exception {
        List<LeaderboardRow> runs = runs(new double[] {0.80, 0.82, 0.81},
                new double[] {0.83, 0.84, 0.82});
        List<Comparison.Row> rows = Comparison.of(runs);
        Comparison.writeCsv(rows, dir.resolve("comparison.csv"));
        Comparison.writeMarkdown(rows, runs, dir.resolve("comparison.md"));

        List<String> csv = Files.readAllLines(dir.resolve("comparison.csv"));
        assertEquals(String.join(",", Comparison.HEADER), csv.get(0));
        assertTrue(csv.get(1).startsWith("fashion-mnist,vit,nano,simple,epochs,3,3,128,0.001,0.1,"
                + "mask,10000,205066,3,0.810000,0.785159,0.834841,60.50,1400.0,1300.0,1500.0,3,"
                + "0.830000,"), csv.get(1));
        assertTrue(csv.get(1).contains(",3,0.020000,-0.004841,0.044841,no detectable difference,"
                + "0.0742,0.0742,no detectable difference,2.000,1.733,2.308,2.000,"
                + "0.1.0@abcdef012345,vit-recipe,"), csv.get(1));
        assertTrue(csv.get(1).endsWith(",0.250000,0.250000,0.250000,0.250000,0.250000,0.250000,"
                + "0.000000,0.000000,0.000000,no detectable difference,1.0000,1.0000,"
                + "no detectable difference,,,,,0,,,,,0,"), "equal losses, no fit figures and"
                + " no starting weights: "
                + csv.get(1));
        String md = Files.readString(dir.resolve("comparison.md"));
        assertTrue(md.contains("| fashion-mnist | vit-nano | simple | epochs | 3/3 | 10,000 | 0.10"
                + " | 81.00% [78.52, 83.48] | 83.00% [80.52, 85.48] | +2.00 pp [-0.48, +4.48]"
                + " | no detectable difference | no detectable difference (p = 0.074) | 3/3/3"
                + " | 1400 [1300–1500] | 700 [650–750] | 2.00× [1.73–2.31] | 2.00×"
                + " | 0.1.0@abcdef012345 |"), md);
    }
}
