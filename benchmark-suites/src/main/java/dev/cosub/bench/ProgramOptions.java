package dev.cosub.bench;

import dev.cosub.runtime.train.Method;
import dev.cosub.runtime.train.RunConfig;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code --name value} options of the benchmark programs that Maven's {@code exec:exec}
 * starts, where a whole option string arrives in one Maven property.
 */
final class ProgramOptions {

    private ProgramOptions() {}

    /**
     * Parses {@code --name value} pairs of the {@code known} names; arguments are split on
     * white space and blank ones (from an empty Maven property) are skipped.
     *
     * @throws IllegalArgumentException naming an unknown option or one without its value
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
            if (!known.contains(name)) {
                throw new IllegalArgumentException("unknown option '" + word + "': expected one"
                        + " of --" + String.join(", --", known));
            }
            if (i + 1 >= words.size()) {
                throw new IllegalArgumentException("option '" + word + "' needs a value");
            }
            options.put(name, words.get(++i));
        }
        return options;
    }

    /**
     * The short Fashion-MNIST run a speed benchmark trains, evaluated only at its end: the
     * {@code --architecture} (vit), {@code --method} (baseline), {@code --train-subset} and
     * {@code --epochs} (2) of {@code options}.
     */
    static RunConfig.Builder benchmarkRun(Map<String, String> options, int defaultSubset) {
        return RunConfig.builder()
                .architecture(options.getOrDefault("architecture", "vit"))
                .method(Method.parse(options.getOrDefault("method", "baseline")))
                .dataset("fashion-mnist")
                .trainSubset(Integer.parseInt(options.getOrDefault("train-subset",
                        Integer.toString(defaultSubset))))
                .epochs(Integer.parseInt(options.getOrDefault("epochs", "2")))
                .evalEvery(Integer.MAX_VALUE)
                .device("cpu");
    }
}
