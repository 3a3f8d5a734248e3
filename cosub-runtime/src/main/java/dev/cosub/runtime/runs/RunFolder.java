package dev.cosub.runtime.runs;

import dev.cosub.runtime.io.InvalidDataException;
import dev.cosub.runtime.io.Json;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A run on disk: {@code run.json}, {@code metrics.csv} and, when it completed, the checkpoint
 * {@code model.params}, plus {@code eval.json} once it has been evaluated. A folder published
 * without its weights (as under {@code docs/results}) is still a run: its record makes tables,
 * reports and leaderboard rows; only what needs the weights refuses it.
 *
 * @param directory the folder, named after the run id
 * @param record the content of its {@code run.json}
 */
public record RunFolder(Path directory, RunRecord record) {

    public static final String RUN_JSON = "run.json";
    public static final String METRICS_CSV = "metrics.csv";
    public static final String CHECKPOINT = "model.params";
    public static final String EVAL_JSON = "eval.json";
    public static final String EVAL_HISTORY = "eval-history.jsonl";

    /**
     * Opens a finished run folder.
     *
     * @throws InvalidDataException naming the folder and what is missing from it
     */
    public static RunFolder open(Path directory) {
        if (!Files.isDirectory(directory)) {
            throw new InvalidDataException("run folder " + directory + " does not exist");
        }
        Path runJson = directory.resolve(RUN_JSON);
        if (!Files.isRegularFile(runJson)) {
            throw new InvalidDataException(directory + " is not a cosub run folder: it has no "
                    + RUN_JSON);
        }
        RunRecord record = Json.read(runJson, RunRecord.class);
        if (record.result() == null || record.result().config() == null) {
            throw new InvalidDataException(runJson + " has no configuration");
        }
        return new RunFolder(directory, record);
    }

    /** Whether the run's weights are here: a complete run published without them has none. */
    public boolean hasWeights() {
        return Files.isRegularFile(checkpoint());
    }

    /**
     * The checkpoint, for what needs the weights.
     *
     * @throws InvalidDataException naming the folder when the weights were not kept
     */
    public Path weights() {
        if (!hasWeights()) {
            throw new InvalidDataException("run folder " + directory + " holds the record of run "
                    + record.runId() + " but not its weights (" + CHECKPOINT + "): it was kept"
                    + " or published without them. Train the configuration again to use them");
        }
        return checkpoint();
    }

    public Path checkpoint() {
        return directory.resolve(CHECKPOINT);
    }

    public Path evalJson() {
        return directory.resolve(EVAL_JSON);
    }
}
