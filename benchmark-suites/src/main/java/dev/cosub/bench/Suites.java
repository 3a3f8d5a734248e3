package dev.cosub.bench;

import dev.cosub.runtime.model.Architectures;
import dev.cosub.runtime.train.Method;
import dev.cosub.runtime.train.RunConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/** The suites this project ships. Each is reproducible: fixed seeds, fixed data, fixed recipe. */
public final class Suites {

    private Suites() {}

    /**
     * All suites, with {@code override} applied to every run (command-line changes such as the
     * number of epochs or the device).
     */
    public static Map<String, Suite> all(UnaryOperator<RunConfig.Builder> override) {
        Map<String, Suite> suites = new LinkedHashMap<>();
        add(suites, "vit-nano-fashion-mnist",
                "ViT-nano on all 60,000 Fashion-MNIST images, baseline vs cosub, equal epochs",
                RunConfig.builder().dataset("fashion-mnist").epochs(5), List.of("vit"), override);
        add(suites, "vit-nano-fashion-mnist-quick",
                "ViT-nano on 10,000 Fashion-MNIST images for 3 epochs, baseline vs cosub",
                RunConfig.builder().dataset("fashion-mnist").trainSubset(10_000).epochs(3),
                List.of("vit"), override);
        add(suites, "nano-architectures-fashion-mnist",
                "All six architectures, nano size, on 10,000 Fashion-MNIST images for 5 epochs,"
                        + " baseline vs cosub",
                RunConfig.builder().dataset("fashion-mnist").trainSubset(10_000).epochs(5),
                List.copyOf(Architectures.names()), override);
        add(suites, "smoke",
                "ViT-nano on generated images for 2 epochs: checks the whole pipeline in seconds",
                RunConfig.builder().dataset("synthetic").trainSubset(2_000).epochs(2),
                List.of("vit"), override);
        return suites;
    }

    /** Baseline then cosub for each architecture, in order. */
    private static void add(Map<String, Suite> suites, String name, String description,
            RunConfig.Builder base, List<String> architectures,
            UnaryOperator<RunConfig.Builder> override) {
        List<RunConfig> runs = new ArrayList<>();
        for (String architecture : architectures) {
            for (Method method : Method.values()) {
                runs.add(override.apply(base.architecture(architecture).method(method)).build());
            }
        }
        suites.put(name, new Suite(name, description, runs));
    }
}
