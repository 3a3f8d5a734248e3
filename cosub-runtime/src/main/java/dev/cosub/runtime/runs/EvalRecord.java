package dev.cosub.runtime.runs;

import dev.cosub.runtime.eval.EvalMetrics;
import java.time.Instant;

/**
 * What a run folder's {@code eval.json} holds: the latest evaluation of its checkpoint.
 *
 * @param runId the evaluated run
 * @param evaluatedAt when
 * @param device the DJL device it ran on
 * @param dataset the dataset's name
 * @param metrics the test figures
 */
public record EvalRecord(
        String runId, Instant evaluatedAt, String device, String dataset, EvalMetrics metrics) {}
