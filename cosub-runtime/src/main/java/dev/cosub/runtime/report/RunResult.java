package dev.cosub.runtime.report;

import dev.cosub.runtime.data.Augmentation;
import dev.cosub.runtime.data.Normalization;
import dev.cosub.runtime.eval.EvalMetrics;
import dev.cosub.runtime.train.RunConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
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
     * @param cpu the processor's model name and the processors this JVM may use, e.g.
     *     {@code AMD EPYC 9B45 (2 processors)}; {@code null} in records made before it was kept
     * @param threads libtorch's intra-op and inter-op threads as set for this JVM, e.g.
     *     {@code 2/1}, or {@code default}
     * @param nativeEnvironment the variables that set up the native runtime (allocator, OpenMP,
     *     preloaded libraries) as this process got them
     */
    public record Environment(String device, String djlVersion, String engine, String jvm,
            String os, String cpu, String threads, Map<String, String> nativeEnvironment) {

        /** The variables of the native runtime that change a run's speed. */
        private static final List<String> NATIVE_PREFIXES = List.of("MALLOC_", "OMP_", "KMP_",
                "MKL_", "GOMP_", "LD_PRELOAD", "TORCH_", "PYTORCH_");

        /** This process's environment. */
        public static Environment of(String device, String djlVersion, String engine) {
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
                    nativeEnvironment);
        }

        /** The model name Linux gives in /proc/cpuinfo, or the architecture elsewhere. */
        static String cpuModel() {
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
