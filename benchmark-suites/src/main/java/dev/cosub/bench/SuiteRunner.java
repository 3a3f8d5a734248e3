package dev.cosub.bench;

import dev.cosub.runtime.data.InvalidDataException;
import dev.cosub.runtime.fork.ForkOptions;
import dev.cosub.runtime.report.AtomicFiles;
import dev.cosub.runtime.report.Statistics;
import dev.cosub.runtime.report.Throughput;
import dev.cosub.runtime.runs.Experiments;
import dev.cosub.runtime.runs.RunRecord;
import dev.cosub.runtime.runs.RunStore;
import dev.cosub.runtime.train.RunConfig;
import dev.cosub.runtime.train.TrainingFailedException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.function.UnaryOperator;

/**
 * Runs a named suite: run folders, a leaderboard and the comparison tables of its runs
 * ({@code comparison.md}, {@code comparison.csv}) under {@code <out>/<suite>/}, and a speed table
 * ({@code speed.md}): for each configuration its median training rate, model FLOP/s and their
 * share of the matrix-product peak measured in the same training process.
 *
 * <pre>
 * SuiteRunner --suite NAME [--out DIR] [--epochs N] [--train-subset N] [--seed N]
 *             [--device auto|cpu|gpu|gpu:N] [--data-dir DIR] [--rounds N] [--fork true|false]
 *             [--reuse true|false] [--list]
 * </pre>
 *
 * <p>With {@code --rounds N} every configuration trains N times, the configurations taking
 * turns, so that a noisy machine slows them alike; the speed table then gives the median over
 * rounds and its range. With {@code --reuse true} a configuration that already has a run in the
 * suite's directory is not trained again, so an interrupted long suite picks up where it stopped
 * (its speeds then come from different invocations).
 */
public final class SuiteRunner {

    private SuiteRunner() {}

    public static void main(String[] args) throws IOException {
        Map<String, String> options;
        try {
            options = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
            return;
        }
        System.exit(run(options));
    }

    /**
     * Runs the suite the options name (or lists the suites with {@code list}), printing its
     * comparison and speed table.
     *
     * @param options the option names of {@link #parse} without their dashes
     * @return 0, 2 for bad input, 3 when a run fails
     */
    public static int run(Map<String, String> options) throws IOException {
        Map<String, Suite> suites;
        try {
            suites = Suites.all(overrides(options));
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            return 2;
        }
        if (options.containsKey("list")) {
            suites.values().forEach(s -> System.out.println(s.name() + ": " + s.description()));
            return 0;
        }
        Suite suite = suites.get(options.getOrDefault("suite", ""));
        if (suite == null) {
            System.err.println("error: unknown suite '" + options.get("suite")
                    + "': expected one of " + suites.keySet());
            return 2;
        }
        int rounds = Integer.parseInt(options.getOrDefault("rounds", "1"));
        boolean reuse = Boolean.parseBoolean(options.getOrDefault("reuse", "false"));
        ForkOptions fork = Boolean.parseBoolean(options.getOrDefault("fork", "true"))
                ? ForkOptions.child(ForkOptions.currentClasspath())
                : ForkOptions.inProcess();
        Path out = Path.of(options.getOrDefault("out", "target/suites")).resolve(suite.name());
        System.out.println(suite.name() + ": " + suite.description());
        try {
            run(suite, out, fork, rounds, reuse);
        } catch (InvalidDataException e) {
            System.err.println("error: " + e.getMessage());
            return 2;
        } catch (TrainingFailedException e) {
            System.err.println("error: " + e.getMessage());
            return 3;
        }
        RunStore store = new RunStore(out);
        System.out.println();
        System.out.println(Files.readString(store.comparisonMarkdown()));
        System.out.println(Files.readString(out.resolve(SPEED_TABLE)));
        System.out.println("written to " + out.toAbsolutePath());
        return 0;
    }

    /** The speed table's file name in a suite's output directory. */
    static final String SPEED_TABLE = "speed.md";

    /**
     * Trains every configuration of a suite afresh, {@code rounds} times in turn, so that their
     * speeds are measured side by side; writes run folders and the leaderboard under {@code out},
     * {@code comparison.md} and {@code comparison.csv} for these runs, and {@code speed.md}.
     *
     * @return the records of the runs, in the order they ran
     */
    static List<RunRecord> run(Suite suite, Path out, ForkOptions fork, int rounds,
            boolean reuse) throws IOException {
        // Speeds are measured afresh: no run reused or resumed, unless asked to.
        Experiments experiments = new Experiments(out, null, System.out::println, fork, reuse,
                !reuse);
        List<RunRecord> runs = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            for (RunConfig config : suite.runs()) {
                runs.add(experiments.train(config).record());
            }
        }
        experiments.writeComparison(runs.stream().map(RunRecord::leaderboardRow).toList());
        AtomicFiles.writeString(out.resolve(SPEED_TABLE), speedTable(suite, runs));
        return runs;
    }

    /** Per configuration of the suite: rates over its runs, FLOP/s and share of the peak. */
    static String speedTable(Suite suite, List<RunRecord> runs) {
        StringBuilder md = new StringBuilder(String.format(Locale.ROOT,
                "# Training speed: %s%n%nimg/s is the median over a run's windows of %d steps"
                        + " after the first; with several rounds, the median over rounds and its"
                        + " range. Model FLOP/s count three times the forward FLOPs for each row"
                        + " the network runs; the peak is the best float32 matrix product"
                        + " measured in the same process.%n%n", suite.name(), 16));
        md.append("| run | img/s | range | within-run q1-q3 | model GFLOP/s | % of peak"
                + " | peak GFLOP/s | rounds |\n|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (RunConfig config : suite.runs()) {
            List<Throughput> speeds = runs.stream()
                    .filter(run -> run.result().config().equals(config))
                    .map(run -> run.result().throughput())
                    .toList();
            double[] rates = speeds.stream().mapToDouble(Throughput::imagesPerSecond).toArray();
            md.append(String.format(Locale.ROOT,
                    "| %s-%s %s, %s recipe, drop-path %s %s %s | %.0f | %.0f-%.0f | %.0f-%.0f"
                            + " | %.1f | %.1f%% | %.0f | %d |%n",
                    config.architecture(), config.size(), config.method(), config.recipe(),
                    config.dropPath(),
                    config.dropPathSchedule(), config.dropPathMode(), Statistics.median(rates),
                    Statistics.quantile(rates, 0), Statistics.quantile(rates, 1),
                    median(speeds, Throughput::imagesPerSecondQ1),
                    median(speeds, Throughput::imagesPerSecondQ3),
                    median(speeds, Throughput::trainFlopsPerSecond) / 1e9,
                    100 * median(speeds, Throughput::fractionOfPeak),
                    median(speeds, Throughput::matmulPeakFlopsPerSecond) / 1e9, speeds.size()));
        }
        return md.toString();
    }

    private static double median(List<Throughput> speeds, ToDoubleFunction<Throughput> value) {
        return Statistics.median(speeds.stream().mapToDouble(value).toArray());
    }

    private static UnaryOperator<RunConfig.Builder> overrides(Map<String, String> options) {
        return builder -> {
            if (options.containsKey("epochs")) {
                builder.epochs(Integer.parseInt(options.get("epochs")));
            }
            if (options.containsKey("train-subset")) {
                builder.trainSubset(Integer.parseInt(options.get("train-subset")));
            }
            if (options.containsKey("seed")) {
                builder.seed(Long.parseLong(options.get("seed")));
            }
            if (options.containsKey("device")) {
                builder.device(options.get("device"));
            }
            if (options.containsKey("data-dir")) {
                builder.dataDirectory(Path.of(options.get("data-dir")));
            }
            return builder;
        };
    }

    /** Parses the suite runner's {@code --name value} pairs. */
    static Map<String, String> parse(String[] args) {
        return parse(args, List.of("suite", "out", "epochs", "train-subset", "seed", "device",
                "data-dir", "rounds", "fork", "reuse"));
    }

    /**
     * Parses {@code --name value} pairs of the {@code known} names, and {@code --list}; blank
     * arguments (from an empty Maven property) are skipped.
     */
    static Map<String, String> parse(String[] args, List<String> known) {
        List<String> words = Arrays.stream(args)
                .flatMap(a -> Arrays.stream(a.trim().split("\\s+")))
                .filter(a -> !a.isEmpty())
                .toList();
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < words.size(); i++) {
            String word = words.get(i);
            if (!word.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + word + "'");
            }
            String name = word.substring(2);
            if (name.equals("list")) {
                options.put(name, "true");
                continue;
            }
            if (!known.contains(name)) {
                throw new IllegalArgumentException("unknown option '" + word + "'");
            }
            if (i + 1 >= words.size()) {
                throw new IllegalArgumentException("option '" + word + "' needs a value");
            }
            options.put(name, words.get(++i));
        }
        return options;
    }
}
