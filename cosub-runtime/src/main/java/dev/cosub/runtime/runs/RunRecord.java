package dev.cosub.runtime.runs;

import com.google.gson.annotations.SerializedName;
import dev.cosub.runtime.train.RunResult;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * What a run folder's {@code run.json} holds: the run's result with what is needed to trust and
 * reproduce it.
 *
 * @param runId the run's folder name, unique within an output directory
 * @param configHash {@link Provenance#configHash} of the configuration
 * @param gitCommit the commit of the project that ran it (the Maven project, or the folder the
 *     command ran in), {@code -dirty} with local changes; {@code null} outside a git work tree
 * @param code the cosub code that trained it; {@code null} in records made before it was kept
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
        CodeVersion code,
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
        return new RunRecord(runId, configHash, gitCommit, CodeVersion.current(), dataFiles,
                Status.COMPLETE, null, result);
    }

    /** The same record under another run id. */
    RunRecord withRunId(String id) {
        return new RunRecord(id, configHash, gitCommit, code, dataFiles, status, failure,
                result);
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
                Provenance.recipeHash(config), config.trainedEpochs(),
                result.throughput().imagesPerSecondQ1(), result.throughput().imagesPerSecondQ3(),
                CodeVersion.describe(code), LeaderboardRow.FitSummary.of(result.epochs()),
                config.initFrom() == null ? "" : config.initFrom().toString());
    }

    /**
     * One part of a run's data (see {@link dev.cosub.runtime.data.DataPart}).
     *
     * @param role what the part is, wherever it lies: an IDX or CIFAR file's name without
     *     {@code .gz}, or {@code train/<class>} and {@code test/<class>} for an image folder's
     *     class folders; {@code null} in records made before parts had roles
     * @param path the file or class folder read; in records made before parts had roles, an
     *     image folder's directory followed by {@code (listing)}
     * @param sha256 the file's SHA-256 in hex, or that of a class folder's sorted listing of
     *     image paths and sizes
     * @param contentSha256 for a gzip-compressed file, the SHA-256 of its decompressed bytes, so
     *     that an uncompressed copy of the same data is recognised; otherwise {@code null}
     * @param images how many images a class folder lists; {@code null} for a file
     */
    public record DataFile(String role, String path, String sha256, String contentSha256,
            Integer images) {

        /** The role; for an older record, derived from the file's name as roles are now. */
        public String roleOrDerived() {
            if (role != null) {
                return role;
            }
            if (path.endsWith(" (listing)")) {
                return "whole folder listing";
            }
            String name = java.nio.file.Path.of(path).getFileName().toString();
            return name.endsWith(".gz") ? name.substring(0, name.length() - 3) : name;
        }

        /**
         * Whether this part holds the same data as {@code other}: the same bytes, or the same
         * decompressed content.
         */
        public boolean sameContentAs(DataFile other) {
            if (sha256.equals(other.sha256)) {
                return true;
            }
            String mine = content();
            return mine != null && mine.equals(other.content());
        }

        /** What the part holds, when known: a compressed file's content needs its own hash. */
        private String content() {
            if (contentSha256 != null) {
                return contentSha256;
            }
            // A record without contentSha256 holds a plain file, a listing, or (an older
            // record) a compressed file whose content was never hashed.
            return role == null && path.endsWith(".gz") ? null : sha256;
        }
    }
}
