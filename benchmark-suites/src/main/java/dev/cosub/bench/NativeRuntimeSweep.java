package dev.cosub.bench;

import dev.cosub.runtime.fork.ChildJvm;
import dev.cosub.runtime.fork.ForkOptions;
import dev.cosub.runtime.fork.TrainingChild;
import dev.cosub.runtime.io.Json;
import dev.cosub.runtime.runs.RunRecord;
import dev.cosub.runtime.stats.Statistics;
import dev.cosub.runtime.train.RunConfig;
import dev.cosub.runtime.train.Throughput;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Measures which native settings make a training child fastest on this machine: every variant
 * trains the same short run in its own JVM, the variants take turns round after round (so that
 * a noisy machine slows them alike), and each run's median step rate is reported with the
 * spread over rounds.
 *
 * <pre>
 * NativeRuntimeSweep [--architecture vit] [--method baseline] [--train-subset 10000]
 *                    [--epochs 2] [--rounds 3] [--out DIR] [--only NAME,NAME]
 * </pre>
 */
public final class NativeRuntimeSweep {

    private static final String TCMALLOC = "/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4";

    private NativeRuntimeSweep() {}

    /**
     * One setting of the child's native runtime.
     *
     * @param name what the table calls it
     * @param environment variables set on top of this JVM's environment
     * @param jvmArgs JVM arguments
     */
    record Variant(String name, Map<String, String> environment, List<String> jvmArgs) {}

    static List<Variant> variants(int cores) {
        Map<String, String> glibc = Map.of(
                "MALLOC_MMAP_THRESHOLD_", Integer.toString(32 << 20),
                "MALLOC_TRIM_THRESHOLD_", Long.toString(4L << 30),
                "MALLOC_TOP_PAD_", Integer.toString(256 << 20));
        List<String> threads = List.of("-Dai.djl.pytorch.num_threads=" + cores,
                "-Dai.djl.pytorch.num_interop_threads=1");
        Map<String, String> omp = Map.of("OMP_NUM_THREADS", Integer.toString(cores));
        List<Variant> variants = new ArrayList<>();
        variants.add(new Variant("inherited", Map.of(), List.of()));
        variants.add(new Variant("threads", omp, threads));
        variants.add(new Variant("threads+passive", merge(omp,
                Map.of("OMP_WAIT_POLICY", "PASSIVE")), threads));
        variants.add(new Variant("glibc", glibc, List.of()));
        variants.add(new Variant("glibc+threads", merge(glibc, omp), threads));
        variants.add(new Variant("glibc+threads+passive", merge(glibc, omp,
                Map.of("OMP_WAIT_POLICY", "PASSIVE")), threads));
        if (Files.exists(Path.of(TCMALLOC))) {
            variants.add(new Variant("tcmalloc+threads", merge(omp,
                    Map.of("LD_PRELOAD", TCMALLOC)), threads));
        }
        variants.add(new Variant("glibc+1thread", merge(glibc, Map.of("OMP_NUM_THREADS", "1")),
                List.of("-Dai.djl.pytorch.num_threads=1",
                        "-Dai.djl.pytorch.num_interop_threads=1")));
        variants.add(new Variant("glibc+threads+serialgc", merge(glibc, omp),
                concat(threads, List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"))));
        return variants;
    }

    public static void main(String[] args) throws IOException {
        Map<String, String> options = ProgramOptions.parse(args, List.of("architecture", "method",
                "train-subset", "epochs", "rounds", "out", "only"));
        int rounds = Integer.parseInt(options.getOrDefault("rounds", "3"));
        Path out = Path.of(options.getOrDefault("out", "target/native-sweep")).toAbsolutePath();
        RunConfig config = ProgramOptions.benchmarkRun(options, 10_000).build();
        List<Variant> variants = new ArrayList<>(variants(Runtime.getRuntime().availableProcessors()));
        if (options.containsKey("only")) {
            List<String> only = List.of(options.get("only").split(","));
            variants.removeIf(v -> !only.contains(v.name()));
        }
        Map<String, List<Throughput>> results = new LinkedHashMap<>();
        variants.forEach(v -> results.put(v.name(), new ArrayList<>()));
        Files.createDirectories(out);
        Path log = out.resolve("sweep.log");
        for (int round = 0; round < rounds; round++) {
            for (int i = 0; i < variants.size(); i++) {
                // Rotate the order each round: no variant always runs first or after another.
                Variant variant = variants.get((i + round) % variants.size());
                Throughput throughput = run(variant, config, out.resolve(variant.name()), log);
                results.get(variant.name()).add(throughput);
                System.out.printf(Locale.ROOT, "round %d %-24s %6.0f img/s (q1 %.0f, q3 %.0f),"
                                + " %.1f%% of the matmul peak %.0f GFLOP/s%n",
                        round + 1, variant.name(), throughput.imagesPerSecond(),
                        throughput.imagesPerSecondQ1(), throughput.imagesPerSecondQ3(),
                        100 * throughput.fractionOfPeak(),
                        throughput.matmulPeakFlopsPerSecond() / 1e9);
            }
        }
        String table = table(config, rounds, results);
        System.out.println();
        System.out.println(table);
        Files.writeString(out.resolve("sweep.md"), table);
    }

    private static Throughput run(Variant variant, RunConfig config, Path output, Path log)
            throws IOException {
        Path request = Files.createTempFile("cosub-sweep", ".json");
        try {
            TrainingChild.writeRequest(request, output, null, config, false);
            List<String> command = new ArrayList<>();
            command.add(ForkOptions.currentJava().toString());
            command.addAll(List.of("-Dai.djl.offline=true", "-Xss4m"));
            command.addAll(variant.jvmArgs());
            command.add("-cp");
            command.add(ForkOptions.currentClasspath().stream().map(Path::toString)
                    .collect(Collectors.joining(File.pathSeparator)));
            command.add(TrainingChild.class.getName());
            command.add(request.toString());
            Map<String, String> environment = new LinkedHashMap<>(System.getenv());
            environment.putAll(variant.environment());
            List<String> lines = new ArrayList<>();
            ChildJvm.Exit exit = ChildJvm.run(command, environment, lines::add);
            Files.write(log, lines, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            Path run = TrainingChild.publishedRun(lines).orElseThrow(() -> new IOException(
                    variant.name() + ": the child ended with " + exit.describe() + ": "
                            + String.join("\n", exit.tail())));
            return Json.read(run.resolve("run.json"), RunRecord.class).result().throughput();
        } finally {
            Files.deleteIfExists(request);
        }
    }

    static String table(RunConfig config, int rounds, Map<String, List<Throughput>> results) {
        StringBuilder md = new StringBuilder(String.format(Locale.ROOT,
                "%s-%s %s, batch %d, %,d Fashion-MNIST images x %d epochs, %d rounds; img/s is"
                        + " the median over a run's 16-step windows after the first, then over"
                        + " rounds (min-max over rounds)%n%n",
                config.architecture(), config.size(), config.method(), config.batchSize(),
                config.trainSubset(), config.epochs(), rounds));
        md.append("| variant | img/s | min-max | % of matmul peak |\n|---|---:|---:|---:|\n");
        results.forEach((name, runs) -> {
            double[] rates = runs.stream().mapToDouble(Throughput::imagesPerSecond).toArray();
            double[] fractions = runs.stream().mapToDouble(Throughput::fractionOfPeak).toArray();
            md.append(String.format(Locale.ROOT, "| %s | %.0f | %.0f-%.0f | %.1f%% |%n", name,
                    Statistics.median(rates), Statistics.quantile(rates, 0),
                    Statistics.quantile(rates, 1), 100 * Statistics.median(fractions)));
        });
        return md.toString();
    }

    @SafeVarargs
    private static Map<String, String> merge(Map<String, String>... maps) {
        Map<String, String> merged = new LinkedHashMap<>();
        for (Map<String, String> map : maps) {
            merged.putAll(map);
        }
        return merged;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> joined = new ArrayList<>(a);
        joined.addAll(b);
        return joined;
    }
}
