package dev.cosub.runtime.train;

import dev.cosub.runtime.data.Augmentation;
import dev.cosub.runtime.engine.CpuSharing;
import dev.cosub.runtime.data.Normalization;
import dev.cosub.runtime.eval.EvalMetrics;
import dev.cosub.runtime.model.layers.DropPathSchedule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

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
 * @param asTrained what the training applied, read from the network and the pipeline it ran;
 *     {@code null} in records made before it was kept
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
        List<Integer> resumedAfter,
        AsTrained asTrained) {

    public RunResult {
        epochs = List.copyOf(epochs);
        resumedAfter = resumedAfter == null ? List.of() : List.copyOf(resumedAfter);
    }

    /**
     * What the training applied, where it may differ from what the configuration asked: an
     * architecture fixes its own drop-path schedule (XCiT's blocks all take the set rate), a
     * recipe adds augmentation, the compute budget stretches the epochs.
     *
     * @param epochs the epochs trained
     * @param warmupEpochs the warm-up epochs trained
     * @param dropPathSchedule the schedule whose rates the network holds; {@code null} when
     *     neither schedule gives them
     * @param dropPathRates the drop-path rate of every residual block, in forward order
     * @param augmentation the training augmentation: the data's own crop and flip plus the
     *     recipe's 3-Augment and Mixup/CutMix settings
     * @param threeAugment what 3-Augment does, or {@code null} when it is off
     * @param targets how labels became training targets
     * @param subsetSeed the seed that drew the training subset
     * @param diagnosticImages images in each sample of the diagnostics
     */
    public record AsTrained(int epochs, int warmupEpochs, DropPathSchedule dropPathSchedule,
            List<Float> dropPathRates, Augmentation augmentation, String threeAugment,
            String targets,
            long subsetSeed, int diagnosticImages) {

        public AsTrained {
            dropPathRates = List.copyOf(dropPathRates);
        }

        /**
         * The schedule that gives {@code rates}, the rates of the residual branches in forward
         * order, with {@code rate} on the deepest: uniform when every branch has {@code rate};
         * linear when the rates, a block's branches sharing theirs, rise evenly from 0 to
         * {@code rate}; {@code null} otherwise. Without drop-path both fit: the configured one.
         */
        public static DropPathSchedule scheduleOf(List<Float> rates, float rate,
                DropPathSchedule configured) {
            if (rate == 0f || rates.size() == 1) {
                return configured;
            }
            if (rates.stream().allMatch(r -> r == rate)) {
                return DropPathSchedule.UNIFORM;
            }
            List<Float> perBlock = new ArrayList<>();
            for (Float r : rates) {
                if (perBlock.isEmpty() || !perBlock.get(perBlock.size() - 1).equals(r)) {
                    perBlock.add(r);
                }
            }
            float[] linear = DropPathSchedule.LINEAR.rates(rate, perBlock.size());
            for (int i = 0; i < linear.length; i++) {
                if (Math.abs(linear[i] - perBlock.get(i)) > 1e-6f) {
                    return null;
                }
            }
            return DropPathSchedule.LINEAR;
        }
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
     * @param cpu the processor's model name and the processors this JVM may use, e.g.
     *     {@code AMD EPYC 9B45 (2 processors)}; {@code null} in records made before it was kept
     * @param threads libtorch's intra-op and inter-op threads as set for this JVM, e.g.
     *     {@code 2/1}, or {@code default}
     * @param nativeEnvironment the variables that set up the native runtime (allocator, OpenMP,
     *     preloaded libraries) as this process got them
     * @param sharing the other trainings it shared the processors with, and what that changed;
     *     {@code null} in records made before it was kept
     */
    public record Environment(String device, String djlVersion, String engine, String jvm,
            String os, String cpu, String threads, Map<String, String> nativeEnvironment,
            CpuSharing sharing) {

        /** The variables of the native runtime that change a run's speed. */
        private static final List<String> NATIVE_PREFIXES = List.of("MALLOC_", "OMP_", "KMP_",
                "MKL_", "GOMP_", "LD_PRELOAD", "TORCH_", "PYTORCH_");

        /** This process's environment. */
        public static Environment of(String device, String djlVersion, String engine,
                CpuSharing sharing) {
            Map<String, String> nativeEnvironment = new TreeMap<>();
            System.getenv().forEach((name, value) -> {
                if (NATIVE_PREFIXES.stream().anyMatch(name::startsWith)) {
                    nativeEnvironment.put(name, value);
                }
            });
            String intraOp = System.getProperty("ai.djl.pytorch.num_threads");
            String interOp = System.getProperty("ai.djl.pytorch.num_interop_threads");
            return new Environment(device, djlVersion, engine,
                    System.getProperty("java.vendor") + " " + System.getProperty("java.version"),
                    System.getProperty("os.name") + " " + System.getProperty("os.arch"),
                    cpuModel() + " (" + Runtime.getRuntime().availableProcessors()
                            + " processors)",
                    intraOp == null && interOp == null ? "default"
                            : (intraOp == null ? "default" : intraOp) + "/"
                                    + (interOp == null ? "default" : interOp),
                    nativeEnvironment, sharing);
        }

        /** The model name Linux gives in /proc/cpuinfo, or the architecture elsewhere. */
        public static String cpuModel() {
            try (var lines = Files.lines(Path.of("/proc/cpuinfo"))) {
                return lines.filter(line -> line.startsWith("model name"))
                        .map(line -> line.substring(line.indexOf(':') + 1).trim())
                        .findFirst().orElse(System.getProperty("os.arch"));
            } catch (IOException | UncheckedIOException e) {
                return System.getProperty("os.arch");
            }
        }
    }
}
