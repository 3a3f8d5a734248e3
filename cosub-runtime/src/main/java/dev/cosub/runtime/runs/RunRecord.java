package dev.cosub.runtime.runs;

import dev.cosub.runtime.report.LeaderboardRow;
import dev.cosub.runtime.report.RunResult;
import java.util.List;

/**
 * What a run folder's {@code run.json} holds: the run's result with what is needed to trust and
 * reproduce it.
 *
 * @param runId the run's folder name, unique within an output directory
 * @param configHash {@link Provenance#configHash} of the configuration
 * @param gitCommit the project's commit when it has one, else {@code null}
 * @param dataFiles the data files read, with their SHA-256
 * @param result configuration, environment, per-epoch and final figures
 */
public record RunRecord(
        String runId,
        String configHash,
        String gitCommit,
        List<DataFile> dataFiles,
        RunResult result) {

    public RunRecord {
        dataFiles = List.copyOf(dataFiles);
    }

    /** This run as a leaderboard row. */
    public LeaderboardRow leaderboardRow() {
        var config = result.config();
        return new LeaderboardRow(runId,
                result.startedAt().truncatedTo(java.time.temporal.ChronoUnit.SECONDS),
                config.dataset(),
                config.architecture(), config.size(), config.method().toString(), config.seed(),
                config.epochs(), config.batchSize(), config.learningRate(), config.dropPath(),
                config.lambda(), result.dataset().trainImages(), result.parameters(),
                result.test().top1(), result.test().top5(), result.test().loss(),
                result.trainSeconds(), result.trainImagesPerSecond(),
                result.environment().device(), result.environment().engine(), configHash);
    }

    /**
     * One data file of a run.
     *
     * @param path where it was read from
     * @param sha256 its SHA-256 in hex
     */
    public record DataFile(String path, String sha256) {}
}
