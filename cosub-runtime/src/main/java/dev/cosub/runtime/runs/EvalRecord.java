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
 * @param dataFiles the data files evaluated on, with their SHA-256
 * @param sameDataAsTraining whether they are the files the run was trained on; false only when
 *     evaluating on other data was allowed
 * @param metrics the test figures
 */
public record EvalRecord(String runId, Instant evaluatedAt, String device, String dataset,
        List<RunRecord.DataFile> dataFiles, boolean sameDataAsTraining, EvalMetrics metrics) {

    public EvalRecord {
        dataFiles = dataFiles == null ? List.of() : List.copyOf(dataFiles);
    }
}
