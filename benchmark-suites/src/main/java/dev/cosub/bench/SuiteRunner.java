package dev.cosub.bench;

import dev.cosub.runtime.report.LeaderboardRow;
import dev.cosub.runtime.runs.Experiments;
import dev.cosub.runtime.runs.RunStore;
import dev.cosub.runtime.train.RunConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Runs a named suite: run folders, a leaderboard and the comparison tables of its runs
 * ({@code comparison.md}, {@code comparison.csv}) under {@code <out>/<suite>/}.
 *
 * <pre>
 * SuiteRunner --suite NAME [--out DIR] [--epochs N] [--train-subset N] [--seed N]
 *             [--device auto|cpu|gpu|gpu:N] [--data-dir DIR] [--list]
 * </pre>
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
        Map<String, Suite> suites;
        try {
            suites = Suites.all(overrides(options));
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (options.containsKey("list")) {
            suites.values().forEach(s -> System.out.println(s.name() + ": " + s.description()));
            return;
        }
        Suite suite = suites.get(options.getOrDefault("suite", ""));
        if (suite == null) {
            System.err.println("error: unknown suite '" + options.get("suite")
                    + "': expected one of " + suites.keySet());
            System.exit(2);
            return;
        }
        Path out = Path.of(options.getOrDefault("out", "target/suites")).resolve(suite.name());
        System.out.println(suite.name() + ": " + suite.description());
        run(suite, out);
        System.out.println();
        System.out.println(Files.readString(new RunStore(out).comparisonMarkdown()));
        System.out.println("written to " + out.toAbsolutePath());
    }

    /**
     * Trains every configuration of a suite afresh, in order, in this process, so that their
     * speeds are measured side by side; writes run folders and the leaderboard under {@code out},
     * and {@code comparison.md} and {@code comparison.csv} for these runs.
     */
    static List<LeaderboardRow> run(Suite suite, Path out) throws IOException {
        Experiments experiments = new Experiments(out, null, System.out::println);
        List<LeaderboardRow> runs = new ArrayList<>();
        for (RunConfig config : suite.runs()) {
            runs.add(experiments.train(config).record().leaderboardRow());
        }
        experiments.writeComparison(runs);
        return runs;
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

    /** Parses {@code --name value} pairs; blank arguments (from an empty Maven property) are skipped. */
    static Map<String, String> parse(String[] args) {
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
            if (!List.of("suite", "out", "epochs", "train-subset", "seed", "device", "data-dir")
                    .contains(name)) {
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
