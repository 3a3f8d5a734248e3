package dev.cosub.runtime.runs;

import dev.cosub.runtime.data.ImageDataset;
import dev.cosub.runtime.train.ProgressListener;
import dev.cosub.runtime.train.RunConfig;
import dev.cosub.runtime.train.RunResult;
import dev.cosub.runtime.train.Training;
import dev.cosub.runtime.train.TrainingDivergedException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Trains in this JVM: in a staging folder that keeps the checkpoint of the last completed epoch
 * for an interrupted run to resume, published as a run folder with its leaderboard row when
 * done, or as a failed run folder (no row) when the loss diverged.
 */
public final class LocalTrainer implements Trainer {

    private static final DateTimeFormatter RUN_ID_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private final RunStore store;
    private final Path projectDirectory;
    private final boolean resume;
    private final Consumer<String> log;
    private final DatasetCache datasets;

    /**
     * @param outputDirectory where run folders and the leaderboard go
     * @param projectDirectory the project whose git commit is recorded, or {@code null}
     * @param resume whether an interrupted run continues from its last checkpoint
     * @param log receives progress lines
     * @param datasets where the data of each run is loaded, shared with whatever else needs it
     */
    public LocalTrainer(Path outputDirectory, Path projectDirectory, boolean resume,
            Consumer<String> log, DatasetCache datasets) {
        this.store = new RunStore(outputDirectory);
        this.projectDirectory = projectDirectory;
        this.resume = resume;
        this.log = log;
        this.datasets = datasets;
    }

    @Override
    public RunFolder train(RunConfig config) throws IOException {
        String configHash = Provenance.configHash(config);
        ImageDataset data = datasets.of(config);
        List<RunRecord.DataFile> dataFiles = TrainingData.of(data);
        String gitCommit = Provenance.gitCommit(projectDirectory);
        // Checks the configuration against the data before a staging folder exists, so that bad
        // input leaves nothing behind.
        Training training = new Training(config, data, ProgressListener.lines(log))
                .startingFrom(new InitialWeights(config, data.shape(), data.classes(), log));
        // Whatever goes wrong below, the staging folder stays with the checkpoint of the last
        // completed epoch, for the next attempt to resume.
        try (RunStore.Staging staging = store.stage(configHash)) {
            Path folder = staging.folder();
            Path resumeFile = folder.resolve(ResumeFile.NAME);
            if (!resume && Files.deleteIfExists(resumeFile)) {
                log.accept("resume=false: discarded the checkpoint in " + folder);
            }
            RunResult result;
            try {
                result = training.run(
                        network -> {
                            try {
                                Checkpoint.save(network, folder.resolve(RunFolder.CHECKPOINT));
                            } catch (IOException e) {
                                throw new UncheckedIOException(e);
                            }
                        }, new ResumeFile(resumeFile, config, log));
            } catch (TrainingDivergedException e) {
                // A diverged run is no starting point for another attempt.
                Files.deleteIfExists(resumeFile);
                if (e.partial() != null) {
                    RunFolder failed = store.publish(folder, new RunRecord(
                            runId(e.partial(), configHash) + "-failed", configHash, gitCommit,
                            CodeVersion.current(), dataFiles, RunRecord.Status.FAILED,
                            e.getMessage(), e.partial()));
                    log.accept("run " + failed.record().runId() + " failed; it is recorded in "
                            + failed.directory() + " and gets no leaderboard row");
                }
                throw e;
            }
            Files.deleteIfExists(resumeFile);
            RunFolder run = store.publish(folder, RunRecord.complete(runId(result, configHash),
                    configHash, gitCommit, dataFiles, result));
            Leaderboard.append(store.leaderboard(), run.record().leaderboardRow());
            log.accept(String.format(Locale.ROOT,
                    "run %s: test top-1 %.2f%%, top-5 %.2f%% in %s",
                    run.record().runId(), 100 * result.test().top1(), 100 * result.test().top5(),
                    run.directory()));
            return run;
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static String runId(RunResult result, String configHash) {
        RunConfig config = result.config();
        return RUN_ID_TIME.format(result.startedAt()) + "-" + config.architecture() + "-"
                + config.size() + "-" + config.method() + "-seed" + config.seed() + "-"
                + configHash.substring(0, 6);
    }
}
