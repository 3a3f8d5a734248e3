package dev.cosub.runtime.fork;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cosub.runtime.engine.CpuSharing;
import dev.cosub.runtime.engine.RunningTrainings;
import dev.cosub.runtime.goals.Experiments;
import dev.cosub.runtime.io.InvalidDataException;
import dev.cosub.runtime.runs.Leaderboard;
import dev.cosub.runtime.runs.LeaderboardRow;
import dev.cosub.runtime.runs.RunFolder;
import dev.cosub.runtime.train.RunConfig;
import dev.cosub.runtime.train.RunResult;
import dev.cosub.runtime.train.TrainingFailedException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Training in a child JVM, as the plugin and the suites do by default. */
@Tag("slow") // trains in child JVMs
class ForkedTrainingTest {

    private static final RunConfig SMALL = RunConfig.builder().dataset("synthetic")
            .trainSubset(1_024).epochs(3).batchSize(64).device("cpu").build();

    @TempDir
    Path out;

    private final List<String> log = new ArrayList<>();

    /** Surefire's class path is a manifest-only jar, which a child JVM can use as it is. */
    private static ForkOptions fork() {
        return ForkOptions.child(ForkOptions.currentClasspath());
    }

    @Test
    void aChildTrainsTheRunFolderAndRowAndStreamsItsProgress() throws Exception {
        Experiments experiments = new Experiments(out, null, log::add, fork());

        RunFolder run = experiments.train(SMALL.toBuilder().epochs(1).warmupEpochs(0).build());

        assertEquals(SMALL.toBuilder().epochs(1).warmupEpochs(0).build(), run.record().result().config());
        assertEquals(1, Leaderboard.read(experiments.store().leaderboard()).size());
        assertTrue(log.stream().anyMatch(line -> line.startsWith("epoch 1/1:")), log.toString());
        assertFalse(log.stream().anyMatch(line -> line.startsWith("cosub-child-")),
                "the protocol lines are not the user's: " + log);
        assertFalse(log.stream().anyMatch(line -> line.contains("SLF4J")), log.toString());
    }

    @Test
    void aChildKilledMidRunFailsTheRunWithItsExitCodeAndWritesNoRow() throws Exception {
        Experiments experiments = new Experiments(out, null, line -> {
            log.add(line);
            if (line.startsWith("epoch 1/3:")) {
                ProcessHandle.current().children().forEach(ProcessHandle::destroyForcibly);
            }
        }, fork());

        TrainingFailedException e = assertThrows(TrainingFailedException.class,
                () -> experiments.train(SMALL));

        assertTrue(e.getMessage().contains("vit-nano cosub seed 0"), e.getMessage());
        assertTrue(e.getMessage().contains("exit code 137 (SIGKILL"), e.getMessage());
        assertTrue(e.getMessage().contains("epoch 1/3:"), "its last lines: " + e.getMessage());
        assertEquals(List.of(), Leaderboard.read(experiments.store().leaderboard()));
        assertEquals(List.of(), experiments.store().all(), "no run folder");
    }

    @Test
    void aChildRefusingItsInputReportsTheMessageAsBadInput() {
        Experiments experiments = new Experiments(out, null, log::add, fork());
        RunConfig missingData = RunConfig.builder().dataset("mnist")
                .dataDirectory(out.resolve("nowhere")).device("cpu").build();

        InvalidDataException e = assertThrows(InvalidDataException.class,
                () -> experiments.train(missingData));
        assertTrue(e.getMessage().contains(out.resolve("nowhere").toString()), e.getMessage());
    }

    @Test
    void aDivergedChildReportsTheStep() {
        Experiments experiments = new Experiments(out, null, log::add, fork());

        TrainingFailedException e = assertThrows(TrainingFailedException.class,
                () -> experiments.train(SMALL.toBuilder().learningRate(1e6f).build()));
        assertTrue(e.getMessage().startsWith("training diverged at epoch "), e.getMessage());
        assertTrue(e.getMessage().contains(", step "), e.getMessage());
    }

    /**
     * Two training processes at once into one output directory, as two Maven builds would:
     * both runs complete, each in its own folder, and the leaderboard keeps both rows. The same
     * configuration twice at once is refused by the second, naming the other build.
     */
    @Test
    void twoProcessesTrainIntoOneDirectoryAtOnceAndLoseNothing() throws Exception {
        RunConfig first = SMALL.toBuilder().epochs(1).warmupEpochs(0).seed(1).build();
        RunConfig second = first.toBuilder().seed(2).build();
        ExecutorService builds = Executors.newFixedThreadPool(3);
        try {
            List<Future<RunFolder>> runs = new ArrayList<>();
            for (RunConfig config : List.of(first, second)) {
                runs.add(builds.submit(() ->
                        new Experiments(out, null, line -> {}, fork()).train(config)));
            }
            RunFolder a = runs.get(0).get(5, TimeUnit.MINUTES);
            RunFolder b = runs.get(1).get(5, TimeUnit.MINUTES);
            assertFalse(a.directory().equals(b.directory()));
            assertEquals(Set.of(a.record().runId(), b.record().runId()),
                    Leaderboard.read(out.resolve("leaderboard.csv")).stream()
                            .map(LeaderboardRow::runId).collect(Collectors.toSet()));
        } finally {
            builds.shutdownNow();
        }
    }

    /**
     * A child started while another cosub training runs (a registration of this JVM's, under a
     * registry folder of the test's) takes its share of the processors, lets its OpenMP threads
     * sleep, and says so in its record; the parent passes the registry folder on.
     */
    @Test
    void aChildBesideAnotherTrainingTakesItsShareAndRecordsWhy() throws Exception {
        String previous = System.getProperty(RunningTrainings.DIRECTORY_PROPERTY);
        System.setProperty(RunningTrainings.DIRECTORY_PROPERTY, out.resolve("running").toString());
        try (RunningTrainings.Registration other = RunningTrainings.ofThisUser()
                .register("swin-nano cosub seed 7 (pid 1)")) {
            RunFolder run = new Experiments(out, null, log::add, fork())
                    .train(SMALL.toBuilder().epochs(1).warmupEpochs(0).build());

            RunResult.Environment environment = run.record().result().environment();
            int processors = Runtime.getRuntime().availableProcessors();
            int share = Math.max(1, processors / 2);
            assertEquals("PASSIVE", environment.nativeEnvironment().get("OMP_WAIT_POLICY"));
            assertEquals(share + "/1", environment.threads());
            CpuSharing sharing = environment.sharing();
            assertEquals(List.of("swin-nano cosub seed 7 (pid 1)"), sharing.othersAtStart());
            assertEquals(String.format("1 other cosub training running on %d processors: %d"
                    + " threads that sleep when idle (OMP_WAIT_POLICY=PASSIVE)", processors,
                    share), sharing.nativeChoice());
            assertTrue(sharing.threadsFollowShare());
            assertEquals(List.of(), sharing.threadChanges(), "its share did not change");
            assertEquals(1, RunningTrainings.ofThisUser().count(), "the child's entry is gone");
        } finally {
            if (previous == null) {
                System.clearProperty(RunningTrainings.DIRECTORY_PROPERTY);
            } else {
                System.setProperty(RunningTrainings.DIRECTORY_PROPERTY, previous);
            }
        }
    }

    @Test
    void aThreadCountNoMachineHasIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> fork().with(List.of(), java.util.Map.of(), 1000));
        assertTrue(e.getMessage().startsWith("threads = 1000 is invalid: expected from 1 to 256"
                + " (this machine has "), e.getMessage());
    }

    @Test
    void exitCodesOfSignalsAreExplained() {
        assertEquals("exit code 134 (SIGABRT: a native abort, e.g. an assertion or allocation"
                + " failure in libtorch)", new ChildJvm.Exit(134, List.of()).describe());
        assertEquals("exit code 1", new ChildJvm.Exit(1, List.of()).describe());
    }
}
