package dev.cosub.runtime.report;

import dev.cosub.runtime.data.Augmentation;
import dev.cosub.runtime.data.Normalization;
import dev.cosub.runtime.eval.EvalMetrics;
import dev.cosub.runtime.train.RunConfig;
import java.time.Instant;
import java.util.List;

/**
 * The complete record of a finished run: what was trained, on what, how well and how fast.
 *
 * @param config the whole configuration, seed included
 * @param dataset the dataset as loaded
 * @param environment versions and device
 * @param parameters number of trainable parameters
 * @param epochs per-epoch figures
 * @param test final test figures; {@code null} in the record of a run that failed
 * @param startedAt when training started
 * @param trainSeconds wall time of the training steps (evaluation excluded)
 * @param wallSeconds wall time of the whole run
 * @param throughput median training rate, its spread, and FLOP/s against the device's peak
 * @param resumedAfter for each time the run was interrupted and continued, the epochs it had
 *     completed; empty for a run that ran through (wall time then counts the last start only)
 */
public record RunResult(
        RunConfig config,
        DatasetInfo dataset,
        Environment environment,
        long parameters,
        List<EpochMetrics> epochs,
        EvalMetrics test,
        Instant startedAt,
        double trainSeconds,
        double wallSeconds,
        Throughput throughput,
        List<Integer> resumedAfter) {

    public RunResult {
        epochs = List.copyOf(epochs);
        resumedAfter = resumedAfter == null ? List.of() : List.copyOf(resumedAfter);
    }

    /**
     * What a run's data was.
     *
     * @param name dataset name
     * @param trainImages training images used
     * @param testImages test images
     * @param imageShape C x H x W
     * @param classes number of classes
     * @param classNames the classes in label order ({@code null} in records from before they
     *     were kept)
     * @param normalization the per-channel normalisation the network was trained with, which
     *     evaluation applies again ({@code null} in records from before it was kept)
     * @param augmentation the data's training augmentation before the recipe's additions
     *     ({@code null} in records from before it was kept)
     */
    public record DatasetInfo(String name, int trainImages, int testImages, String imageShape,
            int classes, List<String> classNames, Normalization normalization,
            Augmentation augmentation) {}

    /**
     * Where a run ran.
     *
     * @param device the DJL device, e.g. {@code cpu()} or {@code gpu(0)}
     * @param djlVersion DJL's version
     * @param engine engine name and version
     * @param jvm JVM vendor and version
     * @param os operating system and architecture
     */
    public record Environment(String device, String djlVersion, String engine, String jvm, String os) {}
}
