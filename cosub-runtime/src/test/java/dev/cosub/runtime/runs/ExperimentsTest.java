package dev.cosub.runtime.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cosub.runtime.eval.EvalMetrics;
import dev.cosub.runtime.goals.Experiments;
import dev.cosub.runtime.io.InvalidDataException;
import dev.cosub.runtime.io.Json;
import dev.cosub.runtime.train.Method;
import dev.cosub.runtime.train.RunConfig;
import dev.cosub.runtime.train.TrainingDivergedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Train, evaluate and compare through real DJL training on small generated data. */
@Tag("slow") // trains and evaluates real runs
class ExperimentsTest {

    private static final RunConfig SMALL = RunConfig.builder()
            .dataset("synthetic").trainSubset(512).epochs(1).batchSize(64).device("cpu").build();

    @TempDir
    Path out;

    private final List<String> log = new ArrayList<>();

    @Test
    void trainWritesACompleteRunFolderAndALeaderboardRow() throws Exception {
        Experiments experiments = new Experiments(out, null, log::add);

        RunFolder run = experiments.train(SMALL);

        assertEquals(out.resolve("runs").resolve(run.record().runId()), run.directory());
        assertTrue(run.record().runId().matches("\\d{8}-\\d{6}-vit-nano-cosub-seed0-[0-9a-f]{6}"),
                run.record().runId());
        for (String file : List.of("run.json", "metrics.csv", "model.params")) {
            assertTrue(Files.isRegularFile(run.directory().resolve(file)), file);
        }
        RunRecord record = Json.read(run.directory().resolve("run.json"), RunRecord.class);
        assertEquals(Provenance.configHash(SMALL), record.configHash());
        assertEquals(SMALL, record.result().config());
        // The code and the machine that made it.
        assertEquals(CodeVersion.current(), record.code());
        assertTrue(record.code().version().matches("\\d+\\.\\d+\\.\\d+.*"),
                record.code().toString());
        var environment = record.result().environment();
        assertTrue(environment.cpu().endsWith(" (" + Runtime.getRuntime().availableProcessors()
                + " processors)"), environment.cpu());
        assertEquals(System.getenv().entrySet().stream()
                        .filter(e -> e.getKey().startsWith("OMP_"))
                        .collect(java.util.stream.Collectors.toMap(e -> e.getKey(),
                                e -> e.getValue())),
                environment.nativeEnvironment().entrySet().stream()
                        .filter(e -> e.getKey().startsWith("OMP_"))
                        .collect(java.util.stream.Collectors.toMap(e -> e.getKey(),
                                e -> e.getValue())));
        List<String> metrics = Files.readAllLines(run.directory().resolve("metrics.csv"));
        assertEquals(String.join(",", MetricsCsv.HEADER), metrics.get(0));
        assertEquals(2, metrics.size());

        List<LeaderboardRow> rows = Leaderboard.read(experiments.store().leaderboard());
        assertEquals(List.of(record.leaderboardRow().values()),
                rows.stream().map(LeaderboardRow::values).toList());
        try (var entries = Files.list(out.resolve("runs"))) {
            assertEquals(1, entries.count(), "the staging folder is gone");
        }
        assertTrue(log.stream().anyMatch(line -> line.startsWith("epoch 1/1:")), log.toString());
    }

    @Test
    void evaluatingTheCheckpointReproducesTheRunsTestFigures() throws Exception {
        Experiments experiments = new Experiments(out, null, log::add);
        RunFolder trained = experiments.train(SMALL);

        RunFolder latest = experiments.store().latest(Provenance.configHash(SMALL)).orElseThrow();
        assertEquals(trained.directory(), latest.directory());
        EvalMetrics metrics = experiments.evaluate(latest, null, null, "cpu", false);

        EvalMetrics recorded = trained.record().result().test();
        assertEquals(recorded.top1(), metrics.top1(), 1e-9);
        assertEquals(recorded.top5(), metrics.top5(), 1e-9);
        assertEquals(recorded.loss(), metrics.loss(), 1e-4);
        EvalRecord saved = Json.read(latest.evalJson(), EvalRecord.class);
        assertEquals(metrics, saved.metrics());
    }

    @Test
    void aTruncatedCheckpointIsRefusedByName() throws Exception {
        Experiments experiments = new Experiments(out, null, log::add);
        RunFolder run = experiments.train(SMALL);
        byte[] bytes = Files.readAllBytes(run.checkpoint());
        Files.write(run.checkpoint(), java.util.Arrays.copyOf(bytes, bytes.length / 2));

        InvalidDataException e = assertThrows(InvalidDataException.class,
                () -> experiments.evaluate(RunFolder.open(run.directory()), null, null, "cpu",
                        false));
        assertTrue(e.getMessage().contains(run.checkpoint().toString()), e.getMessage());
    }

    @Test
    void aRunPublishedWithoutItsWeightsStillReportsButIsNotEvaluatedOrReused() throws Exception {
        Experiments experiments = new Experiments(out, null, log::add);
        RunFolder run = experiments.train(SMALL);
        Files.delete(run.checkpoint());
        Files.delete(experiments.store().leaderboard());

        List<RunFolder> listed = experiments.store().list();
        assertEquals(List.of(run.directory()), listed.stream().map(RunFolder::directory).toList());
        assertEquals(1, experiments.report().size(), "the record alone makes its table row");
        assertTrue(Files.readString(experiments.store().report()).contains(run.record().runId()),
                "its learning curve is in the report");
        InvalidDataException e = assertThrows(InvalidDataException.class,
                () -> experiments.evaluate(listed.get(0), null, null, "cpu", false));
        assertTrue(e.getMessage().contains("not its weights (model.params)"), e.getMessage());

        RunFolder again = experiments.train(SMALL);
        assertFalse(again.directory().equals(run.directory()), "trained again, not reused");
        assertTrue(again.hasWeights());
    }

    @Test
    void compareTrainsOnlyWhatIsMissingAndTabulatesTheGrid() throws Exception {
        Experiments experiments = new Experiments(out, null, log::add);
        experiments.train(SMALL);
        List<RunConfig> grid = List.of(SMALL.toBuilder().method(Method.BASELINE).build(), SMALL);

        Experiments.ComparisonResult first = experiments.compare(grid, List.of(), true);

        assertEquals(1, first.trained());
        assertEquals(2, first.runs().size());
        assertEquals(1, first.rows().size());
        assertEquals(1, first.rows().get(0).baseline().seeds());
        assertEquals(1, first.rows().get(0).cosub().seeds());
        assertTrue(Files.readString(out.resolve("comparison.md")).contains("| synthetic | vit-nano"));
        assertEquals(2, Files.readAllLines(out.resolve("comparison.csv")).size());

        Experiments.ComparisonResult again = experiments.compare(grid, List.of(), true);
        assertEquals(0, again.trained());
        assertEquals(2, Leaderboard.read(experiments.store().leaderboard()).size());
    }

    @Test
    void aDivergedRunFailsNamingTheStepAndNeverReachesTheLeaderboard() throws Exception {
        Experiments experiments = new Experiments(out, null, log::add);
        RunConfig exploding = SMALL.toBuilder().learningRate(1e6f).epochs(2).build();

        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> experiments.train(exploding));

        assertTrue(e.getMessage().matches("training diverged at epoch \\d+, step \\d+ of 8: loss .*"
                + " at learning rate .*"), e.getMessage());
        assertEquals(List.of(), Leaderboard.read(experiments.store().leaderboard()));
        assertEquals(List.of(), experiments.store().list(), "no complete run");
        List<RunFolder> all = experiments.store().all();
        assertEquals(1, all.size());
        RunRecord failed = Json.read(all.get(0).directory().resolve("run.json"), RunRecord.class);
        assertEquals(RunRecord.Status.FAILED, failed.status());
        assertEquals(e.getMessage(), failed.failure());
        assertTrue(failed.runId().endsWith("-failed"), failed.runId());
        assertTrue(Files.readString(all.get(0).directory().resolve("run.json"))
                .contains("\"status\": \"failed\""));
        assertTrue(!Files.exists(all.get(0).directory().resolve("model.params")),
                "a diverged network's weights are not kept");
    }

    @Test
    void evaluationOnOtherDataIsRefusedUnlessAllowedAndEveryEvaluationIsKept() throws Exception {
        Path original = out.resolve("data-a");
        Path other = out.resolve("data-b");
        writeIdxDataset(original, 0);
        writeIdxDataset(other, 1);
        RunConfig config = SMALL.toBuilder().dataset("mnist").dataDirectory(original)
                .trainSubset(40).batchSize(20).build();
        Experiments experiments = new Experiments(out.resolve("out"), null, log::add);
        RunFolder run = experiments.train(config);

        InvalidDataException refused = assertThrows(InvalidDataException.class,
                () -> experiments.evaluate(run, null, other, "cpu", false));
        assertTrue(refused.getMessage().startsWith("run " + run.record().runId()
                + " was trained on other data: train-images-idx3-ubyte: "
                + other.resolve("train-images-idx3-ubyte.gz") + " (SHA-256 "),
                refused.getMessage());
        assertTrue(refused.getMessage().contains("differs from the run's "
                + original.resolve("train-images-idx3-ubyte.gz")), refused.getMessage());
        assertTrue(refused.getMessage().contains("set allowOtherData=true"));

        experiments.evaluate(run, null, original, "cpu", false);
        experiments.evaluate(run, null, other, "cpu", true);
        EvalRecord latest = Json.read(run.evalJson(), EvalRecord.class);
        assertFalse(latest.sameDataAsTraining());
        assertEquals(2, latest.differences().size(), "both image files differ, the labels not: "
                + latest.differences());
        assertTrue(latest.dataFiles().get(0).path().startsWith(other.toString()));
        assertEquals("train-images-idx3-ubyte", latest.dataFiles().get(0).role());
        List<String> history = Files.readAllLines(run.directory().resolve("eval-history.jsonl"));
        assertEquals(2, history.size(), "the first evaluation is kept, not overwritten");
        assertTrue(history.get(0).contains("\"sameDataAsTraining\":true"), history.get(0));
        assertTrue(log.stream().anyMatch(line -> line.startsWith("warning: evaluating on other"
                + " data")), log.toString());

        IllegalArgumentException otherDataset = assertThrows(IllegalArgumentException.class,
                () -> experiments.evaluate(run, "fashion-mnist", null, "cpu", false));
        assertTrue(otherDataset.getMessage().startsWith("dataset = fashion-mnist, but run "
                + run.record().runId() + " was trained on mnist"), otherDataset.getMessage());
    }

    /**
     * The gate's first defect: the same files elsewhere, uncompressed, with test labels changed,
     * passed as "the same data" because nothing was matched by path. Unchanged copies pass.
     */
    @Test
    void aCopyElsewhereIsMatchedByRoleAndChangedLabelsAreRefused() throws Exception {
        Path original = out.resolve("data-a");
        writeIdxDataset(original, 0);
        Path copy = out.resolve("elsewhere");
        gunzipInto(original, copy);
        Experiments experiments = new Experiments(out.resolve("out"), null, log::add);
        RunFolder run = experiments.train(SMALL.toBuilder().dataset("mnist")
                .dataDirectory(original).trainSubset(40).batchSize(20).build());

        experiments.evaluate(run, null, copy, "cpu", false);
        EvalRecord same = Json.read(run.evalJson(), EvalRecord.class);
        assertTrue(same.sameDataAsTraining(), "the decompressed copy holds the same data");
        assertEquals(List.of(), same.differences());

        Path labels = copy.resolve("t10k-labels-idx1-ubyte");
        byte[] bytes = Files.readAllBytes(labels);
        bytes[bytes.length - 1] = (byte) ((bytes[bytes.length - 1] + 1) % 10);
        Files.write(labels, bytes);
        InvalidDataException refused = assertThrows(InvalidDataException.class,
                () -> experiments.evaluate(run, null, copy, "cpu", false));
        assertTrue(refused.getMessage().contains("t10k-labels-idx1-ubyte: " + labels
                + " (SHA-256 "), refused.getMessage());
        assertFalse(refused.getMessage().contains("t10k-images"), "only the labels differ");
    }

    private static void gunzipInto(Path from, Path to) throws Exception {
        Files.createDirectories(to);
        try (var files = Files.list(from)) {
            for (Path gz : files.toList()) {
                String name = gz.getFileName().toString().replace(".gz", "");
                try (var in = new java.util.zip.GZIPInputStream(Files.newInputStream(gz))) {
                    Files.write(to.resolve(name), in.readAllBytes());
                }
            }
        }
    }

    /** An MNIST-shaped dataset of 40 training and 20 test images; {@code variant} changes pixels. */
    private static void writeIdxDataset(Path dir, int variant) throws Exception {
        Files.createDirectories(dir);
        for (String part : List.of("train", "t10k")) {
            int count = part.equals("train") ? 40 : 20;
            byte[] pixels = new byte[count * 28 * 28];
            byte[] labels = new byte[count];
            for (int i = 0; i < count; i++) {
                labels[i] = (byte) (i % 10);
                pixels[i * 784 + 10 * 28 + 10 + labels[i] + variant] = (byte) 255;
            }
            writeIdx(dir.resolve(part + "-images-idx3-ubyte.gz"), 0x803,
                    new int[] {count, 28, 28}, pixels);
            writeIdx(dir.resolve(part + "-labels-idx1-ubyte.gz"), 0x801, new int[] {count},
                    labels);
        }
    }

    private static void writeIdx(Path file, int magic, int[] dims, byte[] payload)
            throws Exception {
        try (java.io.DataOutputStream data = new java.io.DataOutputStream(
                new java.util.zip.GZIPOutputStream(Files.newOutputStream(file)))) {
            data.writeInt(magic);
            for (int dim : dims) {
                data.writeInt(dim);
            }
            data.write(payload);
        }
    }

    @Test
    void aBrokenFolderUnderRunsHidesNoOtherRunAndAnEmptyLeaderboardIsNew() throws Exception {
        Files.createDirectories(out);
        Files.createFile(out.resolve("leaderboard.csv"));
        Experiments experiments = new Experiments(out, null, log::add);
        RunFolder run = experiments.train(SMALL);
        Path junk = Files.createDirectories(out.resolve("runs").resolve("junk"));
        Files.writeString(junk.resolve("run.json"), "{ not json");

        assertEquals(List.of(run.record().runId()), experiments.store().list().stream()
                .map(r -> r.record().runId()).toList());
        assertEquals(1, Leaderboard.read(experiments.store().leaderboard()).size());
        experiments.tidyStaging(List.of(), false);
        assertTrue(log.stream().anyMatch(line -> line.startsWith("skipping a folder that is not"
                + " a readable run: " + junk.resolve("run.json"))), log.toString());
    }

    @Test
    void aConfigurationTheDataCannotTrainLeavesNoStagingFolder() throws Exception {
        Experiments experiments = new Experiments(out, null, log::add);
        RunConfig tooLargeBatch = SMALL.toBuilder().trainSubset(100).batchSize(128).build();

        assertThrows(IllegalArgumentException.class, () -> experiments.train(tooLargeBatch));
        assertEquals(List.of(), experiments.store().staleStaging());
        assertEquals(List.of(), experiments.store().list());
    }

    @Test
    void staleStagingFoldersAreListedAndRemovedOnRequest() throws Exception {
        Experiments experiments = new Experiments(out, null, log::add);
        Path stale = experiments.store().stagingFolder("0123456789ab");
        Files.createDirectories(stale);
        Files.writeString(stale.resolve("partial"), "x");

        experiments.tidyStaging(List.of(SMALL), false);
        assertTrue(log.stream().anyMatch(line -> line.startsWith("stale staging folder"
                + " (cleanStaging removes it): " + stale + ": no checkpoint")),
                log.toString());
        assertTrue(Files.exists(stale));

        assertEquals(1, experiments.tidyStaging(List.of(SMALL), true));
        assertFalse(Files.exists(stale));
    }

    @Test
    void aRunMissingFromTheLeaderboardIsRecoveredNotRetrained() throws Exception {
        Experiments experiments = new Experiments(out, null, log::add);
        experiments.train(SMALL);
        Files.delete(experiments.store().leaderboard());

        Experiments.ComparisonResult result = experiments.compare(List.of(SMALL), List.of(), true);

        assertEquals(0, result.trained());
        assertEquals(1, Leaderboard.read(experiments.store().leaderboard()).size());
    }
}
