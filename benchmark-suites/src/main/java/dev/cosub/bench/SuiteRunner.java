package dev.cosub.bench;

import dev.cosub.runtime.data.Datasets;
import dev.cosub.runtime.data.ImageDataset;
import dev.cosub.runtime.report.RunResult;
import dev.cosub.runtime.report.RunResultJson;
import dev.cosub.runtime.train.ProgressListener;
import dev.cosub.runtime.train.RunConfig;
import dev.cosub.runtime.train.Training;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Runs a named suite and writes each run's JSON and a side-by-side summary ({@code summary.md}).
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
        List<RunResult> results = run(suite, out);
        String summary = Summary.markdown(suite, results);
        Files.writeString(out.resolve("summary.md"), summary, StandardCharsets.UTF_8);
        System.out.println();
        System.out.println(summary);
        System.out.println("written to " + out.toAbsolutePath());
    }

    /** Runs every configuration of a suite in order, writing {@code <method>.json} for each. */
    static List<RunResult> run(Suite suite, Path out) throws IOException {
        Files.createDirectories(out);
        Map<String, ImageDataset> loaded = new HashMap<>();
        List<RunResult> results = new ArrayList<>();
        ProgressListener progress = ProgressListener.lines(System.out::println);
        for (RunConfig config : suite.runs()) {
            ImageDataset data = loaded.computeIfAbsent(
                    config.dataset() + "|" + config.dataDirectory() + "|" + config.trainSubset()
                            + "|" + config.seed(),
                    key -> Datasets.load(config.dataset(), config.dataDirectory(),
                            config.trainSubset(), config.seed()));
            RunResult result = new Training(config, data, progress).run();
            RunResultJson.write(result, out.resolve(config.architecture() + "-" + config.size()
                    + "-" + config.method() + "-seed" + config.seed() + ".json"));
            results.add(result);
        }
        return results;
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
