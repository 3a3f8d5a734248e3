package dev.cosub.runtime.runs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cosub.runtime.fork.ForkOptions;
import dev.cosub.runtime.goals.Experiments;
import dev.cosub.runtime.train.EpochMetrics;
import dev.cosub.runtime.train.RunConfig;
import dev.cosub.runtime.train.TrainingFailedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Interrupted runs continue from their last completed epoch; complete runs are reused. */
@Tag("slow") // kills training child JVMs and trains again
class ResumeTest {

    /** Evaluated after epochs 2 (the checkpoint resumed from), 4 and 5. */
    private static final RunConfig FIVE_EPOCHS = RunConfig.builder().dataset("synthetic")
            .trainSubset(512).epochs(5).evalEvery(2).batchSize(64).device("cpu").seed(4)
            .build();

    /** Enough to test the bookkeeping: one short epoch. */
    private static final RunConfig ONE_EPOCH = FIVE_EPOCHS.toBuilder().trainSubset(256)
            .epochs(1).warmupEpochs(0).build();

    @TempDir
    Path dir;

    private final List<String> log = new ArrayList<>();

    /** One intra-op thread: the deterministic mode, in which reruns are bit-identical. */
    private static ForkOptions deterministic() {
        return ForkOptions.child(ForkOptions.currentClasspath()).with(List.of(), Map.of(), 1);
    }

    private static double[] trainLosses(RunFolder run) {
        return run.record().result().epochs().stream().mapToDouble(EpochMetrics::trainLoss)
                .toArray();
    }

    @Test
    void aChildKilledDuringEpochThreeResumesFromEpochTwoAndEndsAsAnUninterruptedRun()
            throws Exception {
        RunFolder uninterrupted = new Experiments(dir.resolve("whole"), null, line -> {},
                deterministic()).train(FIVE_EPOCHS);

        Path out = dir.resolve("interrupted");
        Experiments killing = new Experiments(out, null, line -> {
            log.add(line);
            // The checkpoint of epoch 2 is on disk and epoch 3 is under way.
            if (line.startsWith("checkpoint of epoch 2 of 5 written")) {
                ProcessHandle.current().children().forEach(ProcessHandle::destroyForcibly);
            }
        }, deterministic());
        TrainingFailedException killed = assertThrows(TrainingFailedException.class,
                () -> killing.train(FIVE_EPOCHS));
        assertTrue(killed.getMessage().contains("exit code 137"), killed.getMessage());
        assertEquals(List.of(), Leaderboard.read(killing.store().leaderboard()));
        List<RunStore.StaleStaging> stale = killing.store().staleStaging();
        assertEquals(1, stale.size());
        assertEquals(2, stale.get(0).checkpoint().orElseThrow().progress().epochsDone());
        assertTrue(stale.get(0).describe().contains("stopped after epoch 2 of 5"),
                stale.get(0).describe());

        List<String> rerun = new ArrayList<>();
        RunFolder resumed = new Experiments(out, null, rerun::add, deterministic())
                .train(FIVE_EPOCHS);

        assertTrue(rerun.contains("resuming from the checkpoint of epoch 2 of 5"), rerun.toString());
        assertEquals(List.of(2), resumed.record().result().resumedAfter());
        assertEquals(5, resumed.record().result().epochs().size());
        assertArrayEquals(trainLosses(uninterrupted), trainLosses(resumed),
                "every epoch's training loss, the three after the resume included");
        assertEquals(uninterrupted.record().result().test(), resumed.record().result().test(),
                "the same test top-1, top-5 and loss, exactly");
        assertEquals(1, Leaderboard.read(killing.store().leaderboard()).size());
        assertEquals(List.of(), killing.store().staleStaging(), "no staging folder is left");
        try (var files = Files.list(resumed.directory())) {
            assertEquals(List.of("metrics.csv", "model.params", "run.json"),
                    files.map(p -> p.getFileName().toString()).sorted().toList(),
                    "no resume checkpoint in the run folder");
        }
    }

    @Test
    void aTornCheckpointIsSetAsideByNameAndTrainingStartsFromTheBeginning() throws Exception {
        RunConfig config = ONE_EPOCH;
        Experiments experiments = new Experiments(dir, null, log::add);
        Path staging = experiments.store().stagingFolder(Provenance.configHash(config));
        Files.createDirectories(staging);
        Files.write(staging.resolve(ResumeFile.NAME), new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
                11, 12, 13});

        RunFolder run = experiments.train(config);

        assertTrue(log.stream().anyMatch(line -> line.startsWith("checkpoint "
                + staging.resolve(ResumeFile.NAME) + " is not resumed: it is torn")), log.toString());
        assertEquals(List.of(), run.record().result().resumedAfter());
        assertEquals(1, run.record().result().epochs().size());
    }

    @Test
    void aCheckpointOfAnotherConfigurationIsNeverLoaded() throws Exception {
        RunConfig config = FIVE_EPOCHS.toBuilder().trainSubset(256).epochs(2).build();
        RunConfig other = config.toBuilder().seed(99).build();
        Experiments experiments = new Experiments(dir, null, log::add);
        Path staging = experiments.store().stagingFolder(Provenance.configHash(config));
        Files.createDirectories(staging);
        // A real checkpoint of another configuration, put where this one's belongs.
        try (var network = ai.djl.ndarray.NDManager.newBaseManager(
                dev.cosub.runtime.engine.Engines.device("cpu"), "PyTorch")) {
            var data = dev.cosub.runtime.data.Datasets.load("synthetic", null, 512, 99);
            var block = dev.cosub.runtime.train.Training.initializedNetwork(other, data, network);
            new ResumeFile(staging.resolve(ResumeFile.NAME), other, line -> {}).save(
                    new dev.cosub.runtime.train.Checkpoints.Progress(1, List.of(), List.of(),
                            List.of(), 1, java.time.Instant.now(), null, 1e9, List.of()),
                    block, new dev.cosub.runtime.train.DecoupledAdamW.State(new int[0],
                            new ai.djl.ndarray.NDList()));
        }

        RunFolder run = experiments.train(config);

        assertTrue(log.stream().anyMatch(line -> line.contains("is not resumed: it is of"
                + " configuration " + Provenance.configHash(other))), log.toString());
        assertEquals(List.of(), run.record().result().resumedAfter());
    }

    @Test
    void aCompleteRunIsReusedUnlessForced() throws Exception {
        RunConfig config = ONE_EPOCH;
        RunFolder first = new Experiments(dir, null, log::add).train(config);

        RunFolder again = new Experiments(dir, null, log::add).train(config);
        RunFolder forced = new Experiments(dir, null, log::add, ForkOptions.inProcess(), true,
                true).train(config);

        assertEquals(first.directory(), again.directory());
        assertTrue(log.stream().anyMatch(line -> line.contains("already has a complete run, "
                + first.record().runId() + ", made by cosub "
                + CodeVersion.describe(CodeVersion.current()) + ": reusing it")), log.toString());
        assertNotEquals(first.directory(), forced.directory());
        assertEquals(2, Leaderboard.read(dir.resolve("leaderboard.csv")).size());
    }

    @Test
    void aConfigurationInTrainingIsLockedAgainstASecondBuild() throws Exception {
        RunStore store = new RunStore(dir);
        try (RunStore.Staging held = store.stage("abc123")) {
            TrainingInProgressException e = assertThrows(TrainingInProgressException.class,
                    () -> store.stage("abc123"));
            assertTrue(e.getMessage().contains("configuration abc123 is being trained into "
                    + dir), e.getMessage());
            assertEquals(List.of(), store.staleStaging(), "a staging folder in use is not stale");
            Files.writeString(held.folder().resolve(ResumeFile.NAME), "a checkpoint");
        }
        assertEquals(1, store.staleStaging().size(), "released with a checkpoint: stale");

        try (RunStore.Staging nothingToResume = store.stage("def456")) {
            assertTrue(Files.isDirectory(nothingToResume.folder()));
        }
        assertEquals(1, store.staleStaging().size(), "released without a checkpoint: removed");
        assertFalse(Files.exists(store.stagingFolder("def456")));
        assertFalse(Files.exists(dir.resolve("runs").resolve(".staging-def456.lock")));
    }
}
