package dev.cosub.bench;

import dev.cosub.runtime.fork.ForkOptions;
import dev.cosub.runtime.fork.ForkedTraining;
import dev.cosub.runtime.io.Json;
import dev.cosub.runtime.runs.RunRecord;
import dev.cosub.runtime.stats.Statistics;
import dev.cosub.runtime.train.RunConfig;
import dev.cosub.runtime.train.RunResult;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * How trainings fare when they share the machine: the same short run alone, two and three at
 * once, and alone beside a process that keeps every processor busy and is not a training, under
 * each setting of the native runtime. Settings and scenarios take turns round after round, so
 * that a noisy machine slows them alike. A training's rate is its median over its 16-step
 * windows ({@code run.json}); a cell is the median over its trainings and rounds, with the
 * range, and its share of the same setting's rate alone.
 *
 * <pre>
 * SharingBenchmark [--architecture vit] [--method baseline] [--train-subset 4000] [--epochs 2]
 *                  [--rounds 2] [--out DIR] [--settings fixed,fixed-passive,shared]
 * </pre>
 */
public final class SharingBenchmark {

    private SharingBenchmark() {}

    /**
     * One way of starting the training children.
     *
     * @param name what the table calls it
     * @param description what it is, for the table's legend
     * @param threads fixed libtorch threads, or {@code null} for cosub's shared default
     * @param environment variables the user would add
     */
    record Setting(String name, String description, Integer threads,
            Map<String, String> environment) {}

    /**
     * What runs at once.
     *
     * @param name what the table calls it
     * @param trainings trainings started together
     * @param busy whether a CPU-bound process runs beside them
     */
    record Scenario(String name, int trainings, boolean busy) {}

    static final List<Scenario> SCENARIOS = List.of(new Scenario("alone", 1, false),
            new Scenario("two at once", 2, false), new Scenario("three at once", 3, false),
            new Scenario("beside a busy process", 1, true));

    static List<Setting> settings(int processors) {
        return List.of(
                new Setting("fixed", "threads = " + processors + " (one per processor),"
                        + " OpenMP's default wait policy: cosub's default before it shared",
                        processors, Map.of()),
                new Setting("fixed-passive", "the same with OMP_WAIT_POLICY=PASSIVE",
                        processors, Map.of("OMP_WAIT_POLICY", "PASSIVE")),
                new Setting("shared", "cosub's default: the processors shared among the cosub"
                        + " trainings running, passive waits when others run at start",
                        null, Map.of()));
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = ProgramOptions.parse(args, List.of("architecture",
                "method", "train-subset", "epochs", "rounds", "out", "settings"));
        int rounds = Integer.parseInt(options.getOrDefault("rounds", "2"));
        Path out = Path.of(options.getOrDefault("out", "target/sharing")).toAbsolutePath();
        RunConfig config = ProgramOptions.benchmarkRun(options, 4_000).batchSize(64).build();
        List<Setting> settings = new ArrayList<>(
                settings(Runtime.getRuntime().availableProcessors()));
        if (options.containsKey("settings")) {
            List<String> chosen = List.of(options.get("settings").split(","));
            settings.removeIf(s -> !chosen.contains(s.name()));
        }
        Files.createDirectories(out);
        Path log = out.resolve("sharing.log");
        Map<String, List<Double>> rates = new LinkedHashMap<>();
        String cpu = null;
        List<String[]> cells = new ArrayList<>();
        for (Setting setting : settings) {
            for (Scenario scenario : SCENARIOS) {
                cells.add(new String[] {setting.name(), scenario.name()});
                rates.put(key(setting, scenario), new ArrayList<>());
            }
        }
        for (int round = 0; round < rounds; round++) {
            for (int i = 0; i < cells.size(); i++) {
                // Rotate the order each round: no cell always runs first or after another.
                String[] cell = cells.get((i + round * 5) % cells.size());
                Setting setting = settings.stream().filter(s -> s.name().equals(cell[0]))
                        .findFirst().orElseThrow();
                Scenario scenario = SCENARIOS.stream().filter(s -> s.name().equals(cell[1]))
                        .findFirst().orElseThrow();
                Path folder = out.resolve("round-" + (round + 1)).resolve(setting.name())
                        .resolve(scenario.name().replace(' ', '-'));
                List<RunResult> results = run(setting, scenario, config, folder, log);
                for (RunResult result : results) {
                    cpu = result.environment().cpu();
                    rates.get(key(setting, scenario)).add(result.throughput().imagesPerSecond());
                    System.out.printf(Locale.ROOT, "round %d %-14s %-22s %6.0f img/s  %s%n",
                            round + 1, setting.name(), scenario.name(),
                            result.throughput().imagesPerSecond(),
                            result.environment().sharing().threadChanges());
                }
            }
        }
        String table = table(config, rounds, cpu, settings, rates);
        System.out.println();
        System.out.println(table);
        Files.writeString(out.resolve("sharing.md"), table);
    }

    private static String key(Setting setting, Scenario scenario) {
        return setting.name() + "/" + scenario.name();
    }

    /** Starts the scenario's trainings together and waits for all of them. */
    static List<RunResult> run(Setting setting, Scenario scenario, RunConfig config,
            Path folder, Path log) throws IOException, InterruptedException {
        ForkOptions fork = ForkOptions.child(ForkOptions.currentClasspath())
                .with(List.of(), setting.environment(), setting.threads());
        Process busy = scenario.busy() ? startBusyProcess() : null;
        ExecutorService pool = Executors.newFixedThreadPool(scenario.trainings());
        try {
            List<Future<Path>> runs = new ArrayList<>();
            for (int i = 0; i < scenario.trainings(); i++) {
                Path output = folder.resolve("training-" + (i + 1));
                runs.add(pool.submit(() -> ForkedTraining.train(fork, output, null, config,
                        false, line -> append(log, line))));
            }
            List<RunResult> results = new ArrayList<>();
            for (Future<Path> run : runs) {
                Path directory = run.get();
                results.add(Json.read(directory.resolve("run.json"), RunRecord.class).result());
            }
            return results;
        } catch (ExecutionException e) {
            throw new IOException(setting.name() + " " + scenario.name() + ": " + e.getCause(),
                    e.getCause());
        } finally {
            pool.shutdownNow();
            if (busy != null) {
                busy.destroyForcibly().waitFor();
            }
        }
    }

    /** A JVM that keeps one thread per processor busy until it is stopped. */
    private static Process startBusyProcess() throws IOException {
        return new ProcessBuilder(ForkOptions.currentJava().toString(), "-cp",
                String.join(File.pathSeparator, ForkOptions.currentClasspath().stream()
                        .map(Path::toString).toList()),
                CpuBurner.class.getName())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
    }

    private static synchronized void append(Path log, String line) {
        try {
            Files.writeString(log, line + System.lineSeparator(), StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String table(RunConfig config, int rounds, String cpu, List<Setting> settings,
            Map<String, List<Double>> rates) {
        StringBuilder md = new StringBuilder(String.format(Locale.ROOT,
                "%s-%s %s, batch %d, %,d Fashion-MNIST images x %d epochs, %d rounds, on %s."
                        + " img/s: each training's median over its 16-step windows, then the"
                        + " median over the cell's trainings and rounds (min-max); %% alone:"
                        + " that median over the same setting's median alone.%n%n",
                config.architecture(), config.size(), config.method(), config.batchSize(),
                config.trainSubset(), config.epochs(), rounds, cpu));
        md.append("| setting |");
        SCENARIOS.forEach(s -> md.append(' ').append(s.name()).append(" img/s | % alone |"));
        md.append("\n|---|");
        SCENARIOS.forEach(s -> md.append("---:|---:|"));
        md.append('\n');
        for (Setting setting : settings) {
            double alone = Statistics.median(values(rates.get(key(setting, SCENARIOS.get(0)))));
            md.append("| ").append(setting.name()).append(" |");
            for (Scenario scenario : SCENARIOS) {
                double[] cell = values(rates.get(key(setting, scenario)));
                double median = Statistics.median(cell);
                md.append(String.format(Locale.ROOT, " %.0f (%.0f-%.0f) | %.0f%% |", median,
                        Statistics.quantile(cell, 0), Statistics.quantile(cell, 1),
                        100 * median / alone));
            }
            md.append('\n');
        }
        md.append('\n');
        settings.forEach(s -> md.append("- `").append(s.name()).append("`: ")
                .append(s.description()).append('\n'));
        return md.toString();
    }

    private static double[] values(List<Double> list) {
        return list.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /**
     * Keeps one thread per processor busy until its standard input closes, which it does when
     * the benchmark stops it or dies.
     */
    public static final class CpuBurner {

        private CpuBurner() {}

        public static void main(String[] args) throws IOException {
            for (int i = 0; i < Runtime.getRuntime().availableProcessors(); i++) {
                Thread burner = new Thread(() -> {
                    long x = 1;
                    while (x != 0) {
                        x = x * 6364136223846793005L + 1442695040888963407L;
                    }
                });
                burner.setDaemon(true);
                burner.start();
            }
            while (System.in.read() >= 0) {
                // Wait for the end of the input.
            }
        }
    }
}
