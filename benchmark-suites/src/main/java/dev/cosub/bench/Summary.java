package dev.cosub.bench;

import dev.cosub.runtime.report.RunResult;
import java.util.List;
import java.util.Locale;

/** Side-by-side table of a suite's runs. */
final class Summary {

    private Summary() {}

    static String markdown(Suite suite, List<RunResult> results) {
        StringBuilder md = new StringBuilder();
        md.append("# ").append(suite.name()).append("\n\n").append(suite.description())
                .append("\n\n");
        RunResult first = results.get(0);
        md.append(String.format(Locale.ROOT,
                "Dataset %s (%,d training / %,d test images, %s), device %s, %s, DJL %s, %s.%n%n",
                first.dataset().name(), first.dataset().trainImages(),
                first.dataset().testImages(), first.dataset().imageShape(),
                first.environment().device(), first.environment().engine(),
                first.environment().djlVersion(), first.environment().jvm()));
        md.append("| run | method | epochs | parameters | train img/s | relative img/s |"
                + " test top-1 | test top-5 | test loss | train time |\n");
        md.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        double reference = results.get(0).trainImagesPerSecond();
        for (RunResult r : results) {
            md.append(String.format(Locale.ROOT,
                    "| %s-%s | %s | %d | %,d | %.0f | %.2f | %.2f%% | %.2f%% | %.4f | %.0f s |%n",
                    r.config().architecture(), r.config().size(), r.config().method(),
                    r.config().epochs(), r.parameters(), r.trainImagesPerSecond(),
                    r.trainImagesPerSecond() / reference, 100 * r.test().top1(),
                    100 * r.test().top5(), r.test().loss(), r.trainSeconds()));
        }
        md.append("\nrelative img/s: training images per second relative to the first run"
                + " (cosub runs every image through two submodels, so about 0.5 is expected).\n");
        return md.toString();
    }
}
