package dev.cosub.runtime.runs;

import com.google.gson.annotations.SerializedName;
import dev.cosub.runtime.report.LeaderboardRow;
import dev.cosub.runtime.report.RunResult;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * What a run folder's {@code run.json} holds: the run's result with what is needed to trust and
 * reproduce it.
 *
 * @param runId the run's folder name, unique within an output directory
 * @param configHash {@link Provenance#configHash} of the configuration
 * @param gitCommit the project's commit when it has one, else {@code null}
 * @param dataFiles the data files read, with their SHA-256
 * @param status whether the run finished; records written before there was a status finished
 * @param failure why a failed run stopped, {@code null} for a complete one
 * @param result configuration, environment, per-epoch and final figures (a failed run's
 *     epochs until it stopped, and no test figures)
 */
public record RunRecord(
        String runId,
        String configHash,
        String gitCommit,
        List<DataFile> dataFiles,
        Status status,
        String failure,
        RunResult result) {

    /** How a run ended. */
    public enum Status {
        @SerializedName("complete")
        COMPLETE,
        @SerializedName("failed")
        FAILED
    }

    public RunRecord {
        dataFiles = List.copyOf(dataFiles);
        status = status == null ? Status.COMPLETE : status;
    }

    /** The record of a run that finished. */
    public static RunRecord complete(String runId, String configHash, String gitCommit,
            List<DataFile> dataFiles, RunResult result) {
        return new RunRecord(runId, configHash, gitCommit, dataFiles, Status.COMPLETE, null,
                result);
    }

    /** The same record under another run id. */
    RunRecord withRunId(String id) {
        return new RunRecord(id, configHash, gitCommit, dataFiles, status, failure, result);
    }

    public boolean isComplete() {
        return status == Status.COMPLETE;
    }

    /**
     * This run as a leaderboard row.
     *
     * @throws IllegalStateException for a failed run, which has no result to rank
     */
    public LeaderboardRow leaderboardRow() {
        if (!isComplete()) {
            throw new IllegalStateException("run " + runId + " failed and has no leaderboard row: "
                    + failure);
        }
        var config = result.config();
        return new LeaderboardRow(runId,
                result.startedAt().truncatedTo(ChronoUnit.SECONDS),
                config.dataset(),
                config.architecture(), config.size(), config.method().toString(),
                config.recipe().toString(), config.budget().toString(), config.seed(),
                config.epochs(), config.batchSize(), config.learningRate(), config.dropPath(),
                config.dropPathMode().toString(), config.lambda(),
                result.dataset().trainImages(), result.parameters(),
                result.test().top1(), result.test().top5(), result.test().loss(),
                result.trainSeconds(), result.throughput().imagesPerSecond(),
                result.throughput().trainFlopsPerSecond(),
                result.environment().device(), result.environment().engine(), configHash,
                Provenance.recipeHash(config));
    }

    /**
     * One data file of a run.
     *
     * @param path where it was read from; for an image folder, its directory followed by
     *     {@code (listing)}
     * @param sha256 its SHA-256 in hex; for an image folder, that of its sorted file listing
     *     with sizes
     */
    public record DataFile(String path, String sha256) {}
}
