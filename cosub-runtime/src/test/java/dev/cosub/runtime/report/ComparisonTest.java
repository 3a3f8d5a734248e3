package dev.cosub.runtime.report;

import static dev.cosub.runtime.report.LeaderboardTest.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
        assertTrue(Comparison.verdicts(List.of(worse)).get(0).endsWith(
                "difference -3.00 pp [-3.25, -2.75] over 3 paired seed(s): baseline better"),
                Comparison.verdicts(List.of(worse)).get(0));
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
                newer.configHash(), newer.recipeHash());

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
                + "mask,10000,205066,3,0.810000,0.785159,0.834841,60.50,1400.0,3,0.830000,"), csv.get(1));
        assertTrue(csv.get(1).endsWith(",3,0.020000,-0.004841,0.044841,no detectable difference,"
                + "2.000,vit-recipe"), csv.get(1));
        String md = Files.readString(dir.resolve("comparison.md"));
        assertTrue(md.contains("| fashion-mnist | vit-nano | simple | epochs | 3/3 | 10,000"
                + " | 81.00% [78.52, 83.48] | 83.00% [80.52, 85.48] | +2.00 pp [-0.48, +4.48]"
                + " | no detectable difference | 3/3/3 | 1400 | 700 | 2.00× |"), md);
    }
}
