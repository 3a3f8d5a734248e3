package dev.cosub.runtime.runs;

import dev.cosub.runtime.eval.EvalMetrics;
import java.time.Instant;
import java.util.List;

/**
 * What a run folder's {@code eval.json} holds: the latest evaluation of its checkpoint. Every
 * evaluation is also kept, one JSON object per line, in {@code eval-history.jsonl}.
 *
 * @param runId the evaluated run
 * @param evaluatedAt when
 * @param device the DJL device it ran on
 * @param dataset the dataset's name
 * @param dataFiles the parts of the data evaluated on, with their roles and hashes, each
 *     compared with the part of the same role in the run's {@code run.json}
 * @param sameDataAsTraining whether every part matched and none was missing or extra; false
 *     only when evaluating on other data was allowed
 * @param differences how the data differed from the run's, one line per part; empty when the
 *     same
 * @param metrics the test figures
 */
public record EvalRecord(String runId, Instant evaluatedAt, String device, String dataset,
        List<RunRecord.DataFile> dataFiles, boolean sameDataAsTraining, List<String> differences,
        EvalMetrics metrics) {

    public EvalRecord {
        dataFiles = dataFiles == null ? List.of() : List.copyOf(dataFiles);
        differences = differences == null ? List.of() : List.copyOf(differences);
    }
}
