package dev.cosub.runtime.runs;

import static dev.cosub.runtime.runs.LeaderboardRows.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cosub.runtime.eval.Diagnostics;
import dev.cosub.runtime.io.InvalidDataException;
import dev.cosub.runtime.train.EpochMetrics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LeaderboardTest {

    @TempDir
    Path dir;

    @Test
    void appendWritesTheDocumentedHeaderAndRowsThatReadBackEqual() throws Exception {
        Path file = dir.resolve("cosub/leaderboard.csv");
        LeaderboardRow first = row("r1", "vit", "baseline", 0, 0.8151, "aaa");
        LeaderboardRow second = LeaderboardRows.fineTuned(
                row("r2", "vit", "cosub", 0, 0.8137, "bbb"), "pretrain/runs/r0");
        Leaderboard.append(file, first);
        Leaderboard.append(file, second);

        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertEquals("run_id,timestamp,dataset,architecture,size,method,recipe,budget,seed,"
                + "epochs,batch_size,learning_rate,drop_path,drop_path_mode,lambda,train_images,"
                + "parameters,top1,top5,test_loss,train_seconds,images_per_second,"
                + "train_flops_per_second,device,engine_version,config_hash,recipe_hash,"
                + "trained_epochs,images_per_second_q1,images_per_second_q3,code_version,"
                + "clean_train_top1,submodel_agreement,lowest_test_loss,lowest_test_loss_epoch,"
                + "init_from", lines.get(0));
        assertEquals(3, lines.size());
        assertEquals(List.of(first, second), Leaderboard.read(file));
        assertEquals("simple", first.recipeLabel());
        assertEquals("simple, from r0", second.recipeLabel());
    }

    /**
     * A leaderboard written before the trained epochs, rate quartiles and code were kept reads
     * with what can be known (a compute-budget baseline trained twice its epochs) and says the
     * rest is unknown; the next append rewrites it with the new columns, its rows intact.
     */
    @Test
    void aLeaderboardFromBeforeTheCodeVersionReadsAndIsUpgradedOnAppend() throws Exception {
        Path file = dir.resolve("leaderboard.csv");
        LeaderboardRow baseline = row("b", "vit", "baseline", "compute", 0, 0.8, "x", "r");
        StringBuilder older = new StringBuilder(String.join(",",
                LeaderboardRow.HEADER_BEFORE_CODE_VERSION)).append('\n');
        older.append(String.join(",", baseline.values().subList(0, 27))).append('\n');
        Files.writeString(file, older.toString());

        LeaderboardRow read = Leaderboard.read(file).get(0);
        assertEquals(6, read.trainedEpochs(), "3 epochs, twice under the compute budget");
        assertTrue(Double.isNaN(read.imagesPerSecondQ1()));
        assertEquals(LeaderboardRow.UNKNOWN_CODE, read.codeVersion());

        LeaderboardRow cosub = row("c", "vit", "cosub", 0, 0.81, "y");
        Leaderboard.append(file, cosub);
        List<LeaderboardRow> rows = Leaderboard.read(file);
        assertEquals(List.of(read, cosub), rows);
        assertTrue(Files.readString(file).startsWith(String.join(",", LeaderboardRow.HEADER)));
    }

    /**
     * Rows written before the fit summary was kept read without it; syncing with the run
     * folders' records rewrites exactly those rows (and adds a run the file lacks), and a second
     * sync changes nothing.
     */
    @Test
    void syncingWithTheRecordsFillsInTheFitOfOlderRowsAndAddsMissingRuns() throws Exception {
        Path file = dir.resolve("leaderboard.csv");
        LeaderboardRow.FitSummary fit = new LeaderboardRow.FitSummary(0.955, 0.964, 0.096, 130);
        LeaderboardRow fitted = LeaderboardRows.fitted(row("b", "vit", "baseline", 0, 0.8, "x"),
                0.1006, fit);
        LeaderboardRow other = row("o", "vit", "cosub", 0, 0.81, "y");
        StringBuilder older = new StringBuilder(String.join(",",
                LeaderboardRow.HEADER_BEFORE_FIT)).append('\n');
        for (LeaderboardRow r : List.of(fitted, other)) {
            older.append(String.join(",", r.values().subList(0, 31))).append('\n');
        }
        Files.writeString(file, older.toString());
        assertEquals(LeaderboardRow.FitSummary.NONE, Leaderboard.read(file).get(0).fit());

        LeaderboardRow missing = row("m", "vit", "cosub", 1, 0.82, "z");
        Leaderboard.SyncResult sync = Leaderboard.sync(file, List.of(fitted, missing));

        assertEquals(new Leaderboard.SyncResult(1, 1), sync);
        assertEquals(List.of(fitted, other, missing), Leaderboard.read(file));
        assertEquals(fit, Leaderboard.read(file).get(0).fit());
        assertEquals(new Leaderboard.SyncResult(0, 0),
                Leaderboard.sync(file, List.of(fitted, missing)));
    }

    /** The fit summary of known epochs: the last diagnostics, the lowest test loss and when. */
    @Test
    void theFitSummaryReadsTheEpochs() {
        Diagnostics at10 = new Diagnostics(0.90, 0.2, 0.8, 0.95, 0.01);
        Diagnostics at20 = new Diagnostics(0.97, 0.1, 0.8, 0.96, 0.01);
        List<EpochMetrics> epochs = List.of(
                new EpochMetrics(10, 0.3, 0.80, 0.99, 0.12, 1e-3, 500, 10, at10),
                new EpochMetrics(15, 0.3, Double.NaN, Double.NaN, Double.NaN, 1e-3, 500, 10,
                        null),
                new EpochMetrics(20, 0.2, 0.81, 0.99, 0.13, 1e-3, 500, 10, at20));

        assertEquals(new LeaderboardRow.FitSummary(0.97, 0.96, 0.12, 10),
                LeaderboardRow.FitSummary.of(epochs));
        assertEquals(LeaderboardRow.FitSummary.NONE, LeaderboardRow.FitSummary.of(List.of()));
    }

    @Test
    void aFileWithAnotherHeaderIsRefusedAndLeftUntouched() throws Exception {
        Path file = dir.resolve("leaderboard.csv");
        String foreign = "name,score\nalice,3\n";
        Files.writeString(file, foreign);
        InvalidDataException e = assertThrows(InvalidDataException.class,
                () -> Leaderboard.append(file, row("r1", "vit", "cosub", 0, 0.5, "h")));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("[name, score]"), e.getMessage());
        assertEquals(foreign, Files.readString(file));
    }

    @Test
    void aMalformedCellIsReportedWithLineColumnAndValue() throws Exception {
        Path file = dir.resolve("leaderboard.csv");
        Leaderboard.append(file, row("r1", "vit", "cosub", 0, 0.5, "h"));
        Files.writeString(file, Files.readString(file).replace("0.500000", "high"));
        InvalidDataException e =
                assertThrows(InvalidDataException.class, () -> Leaderboard.read(file));
        assertTrue(e.getMessage().contains("line 2: top1 = 'high' is invalid"), e.getMessage());
    }

    @Test
    void aRowWithoutAnAccuracyIsRefusedAndAByteOrderMarkIsIgnored() throws Exception {
        Path file = dir.resolve("leaderboard.csv");
        Leaderboard.append(file, row("r1", "vit", "cosub", 0, 0.5, "h"));
        String written = Files.readString(file);
        Path shard = dir.resolve("shard.csv");
        Files.writeString(shard, written.replace("0.500000", "NaN"));
        InvalidDataException nan = assertThrows(InvalidDataException.class,
                () -> Leaderboard.merge(dir.resolve("merged.csv"), List.of(shard)));
        assertEquals(shard + " line 2: top1 = 'NaN' is invalid: expected an accuracy in [0, 1];"
                + " a row without one is no finished run", nan.getMessage());

        Path spreadsheet = dir.resolve("saved-by-a-spreadsheet.csv");
        Files.writeString(spreadsheet, "\uFEFF" + written);
        assertEquals(Leaderboard.read(file), Leaderboard.read(spreadsheet));
    }

    @Test
    void concurrentAppendsLoseNoRow() throws Exception {
        Path file = dir.resolve("leaderboard.csv");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int thread = t;
            done.add(pool.submit(() -> {
                for (int i = 0; i < 20; i++) {
                    Leaderboard.append(file,
                            row("t" + thread + "-" + i, "vit", "cosub", i, 0.5, "h" + thread));
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();
        List<LeaderboardRow> rows = Leaderboard.read(file);
        assertEquals(160, rows.size());
        assertEquals(160, new HashSet<>(rows.stream().map(LeaderboardRow::runId).toList()).size());
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.toString().endsWith(".tmp")),
                    "no temporary file left behind");
        }
    }

    /** Appends {@code args[2]} rows named {@code args[1]-i} to {@code args[0]}; for the test below. */
    public static void main(String[] args) throws Exception {
        for (int i = 0; i < Integer.parseInt(args[2]); i++) {
            Leaderboard.append(Path.of(args[0]), row(args[1] + "-" + i, "vit", "cosub", i, 0.5,
                    args[1]));
        }
    }

    @Test
    void twoProcessesAppendingAtOnceLoseNoRow() throws Exception {
        Path file = dir.resolve("leaderboard.csv");
        String java = ProcessHandle.current().info().command().orElse("java");
        List<Process> builds = new ArrayList<>();
        for (String name : List.of("first", "second")) {
            builds.add(new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    LeaderboardTest.class.getName(), file.toString(), name, "40")
                    .inheritIO().start());
        }
        for (Process build : builds) {
            assertEquals(0, build.waitFor());
        }
        List<LeaderboardRow> rows = Leaderboard.read(file);
        assertEquals(80, rows.size());
        assertEquals(80, new HashSet<>(rows.stream().map(LeaderboardRow::runId).toList()).size());
    }

    @Test
    void mergingShardsKeepsEveryRunOnce() throws Exception {
        Path target = dir.resolve("leaderboard.csv");
        Path shardA = dir.resolve("a.csv");
        Path shardB = dir.resolve("b.csv");
        Leaderboard.append(target, row("r1", "vit", "baseline", 0, 0.81, "h1"));
        Leaderboard.append(shardA, row("r1", "vit", "baseline", 0, 0.81, "h1"));
        Leaderboard.append(shardA, row("r2", "vit", "cosub", 0, 0.82, "h2"));
        Leaderboard.append(shardB, row("r2", "vit", "cosub", 0, 0.82, "h2"));
        Leaderboard.append(shardB, row("r3", "vit", "cosub", 1, 0.83, "h3"));

        Leaderboard.MergeResult result = Leaderboard.merge(target, List.of(shardA, shardB));

        assertEquals(new Leaderboard.MergeResult(2, 2), result);
        assertEquals(List.of("r1", "r2", "r3"),
                Leaderboard.read(target).stream().map(LeaderboardRow::runId).toList());
        assertEquals(new Leaderboard.MergeResult(0, 4),
                Leaderboard.merge(target, List.of(shardA, shardB)));
    }

    @Test
    void mergingAMissingLeaderboardNamesIt() {
        Path missing = dir.resolve("nowhere.csv");
        InvalidDataException e = assertThrows(InvalidDataException.class,
                () -> Leaderboard.merge(dir.resolve("leaderboard.csv"), List.of(missing)));
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
        assertTrue(Files.notExists(dir.resolve("leaderboard.csv")));
    }
}
