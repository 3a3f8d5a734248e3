package dev.cosub.runtime.report;

import static dev.cosub.runtime.report.LeaderboardTest.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ComparisonTest {

    @Test
    void meanStdAndDifferenceOverSeeds() {
        List<LeaderboardRow> runs = List.of(
                row("b0", "vit", "baseline", 0, 0.80, "b0"),
                row("b1", "vit", "baseline", 1, 0.82, "b1"),
                row("c0", "vit", "cosub", 0, 0.83, "c0"),
                row("c1", "vit", "cosub", 1, 0.85, "c1"),
                row("c2", "vit", "cosub", 2, 0.87, "c2"));

        List<Comparison.Row> rows = Comparison.of(runs);

        assertEquals(1, rows.size());
        Comparison.Row r = rows.get(0);
        assertEquals(2, r.baseline().seeds());
        assertEquals(0.81, r.baseline().top1Mean(), 1e-12);
        assertEquals(Math.sqrt(0.0002), r.baseline().top1Std(), 1e-12);
        assertEquals(3, r.cosub().seeds());
        assertEquals(0.85, r.cosub().top1Mean(), 1e-12);
        assertEquals(0.02, r.cosub().top1Std(), 1e-12);
        assertEquals(0.04, r.top1Difference(), 1e-12);
        assertEquals(2.0, r.costRatio(), 1e-12);
    }

    @Test
    void aRerunConfigurationCountsOnceWithItsLatestResult() {
        LeaderboardRow old = row("old", "vit", "cosub", 0, 0.50, "same");
        LeaderboardRow newer = new LeaderboardRow("new", old.timestamp().plusSeconds(60),
                old.dataset(), old.architecture(), old.size(), old.method(), old.seed(),
                old.epochs(), old.batchSize(), old.learningRate(), old.dropPath(), old.dropPathMode(),
                old.lambda(), old.trainImages(), old.parameters(), 0.70, old.top5(),
                old.testLoss(), old.trainSeconds(), old.imagesPerSecond(),
                old.trainFlopsPerSecond(), old.device(), old.engineVersion(),
                old.configHash());

        Comparison.Row r = Comparison.of(List.of(newer, old)).get(0);

        assertEquals(1, r.cosub().seeds());
        assertEquals(0.70, r.cosub().top1Mean(), 1e-12);
        assertTrue(Double.isNaN(r.cosub().top1Std()));
        assertEquals(0, r.baseline().seeds());
        assertTrue(Double.isNaN(r.top1Difference()));
    }

    @Test
    void differentArchitecturesAndRecipesAreSeparateRows() {
        LeaderboardRow vit = row("v", "vit", "cosub", 0, 0.8, "v");
        LeaderboardRow pit = row("p", "pit", "cosub", 0, 0.8, "p");
        LeaderboardRow longer = new LeaderboardRow("l", vit.timestamp(), vit.dataset(),
                vit.architecture(), vit.size(), vit.method(), vit.seed(), 10, vit.batchSize(),
                vit.learningRate(), vit.dropPath(), vit.dropPathMode(), vit.lambda(),
                vit.trainImages(), vit.parameters(), 0.9, vit.top5(), vit.testLoss(),
                vit.trainSeconds(), vit.imagesPerSecond(), vit.trainFlopsPerSecond(),
                vit.device(), vit.engineVersion(), "l");

        List<Comparison.Row> rows = Comparison.of(List.of(vit, pit, longer));

        assertEquals(List.of("pit/3", "vit/3", "vit/10"), rows.stream()
                .map(r -> r.recipe().architecture() + "/" + r.recipe().epochs()).toList());
    }

    @Test
    void writesCsvWithItsHeaderAndAMarkdownTable(@TempDir Path dir) throws Exception {
        List<LeaderboardRow> runs = List.of(
                row("b0", "vit", "baseline", 0, 0.8151, "b0"),
                row("c0", "vit", "cosub", 0, 0.8137, "c0"));
        List<Comparison.Row> rows = Comparison.of(runs);
        Comparison.writeCsv(rows, dir.resolve("comparison.csv"));
        Comparison.writeMarkdown(rows, runs, dir.resolve("comparison.md"));

        List<String> csv = Files.readAllLines(dir.resolve("comparison.csv"));
        assertEquals(String.join(",", Comparison.HEADER), csv.get(0));
        assertEquals("fashion-mnist,vit,nano,3,128,0.001,0.1,mask,10000,205066,1,0.815100,,60.50,"
                + "1400.0,1,0.813700,,121.00,700.0,-0.001400,2.000", csv.get(1));
        String md = Files.readString(dir.resolve("comparison.md"));
        assertTrue(md.contains("| fashion-mnist | vit-nano | 205k | 3 | 10,000 | 81.51% | 81.37%"
                + " | -0.14 pp | 1/1 | 1400 | 700 | 2.00× |"), md);
    }
}
