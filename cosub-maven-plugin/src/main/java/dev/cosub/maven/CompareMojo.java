package dev.cosub.maven;

import dev.cosub.runtime.report.Comparison;
import dev.cosub.runtime.runs.Experiments;
import dev.cosub.runtime.train.RunConfig;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.List;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Compares cosub with the baseline across architectures, seeds and budgets. Trains every
 * configuration of the grid {@code architectures x methods x seeds x budgets} that has no run in
 * the leaderboard yet, then writes {@code comparison.csv}, {@code comparison.md} and the HTML
 * report {@code report/index.html} next to {@code leaderboard.csv}: one row per architecture,
 * recipe and budget with each method's mean top-1 and its 95% interval over seeds, the paired
 * difference with its interval, a verdict, and the training cost. Leaderboards of other machines
 * (CI shards) can be merged in first, so their runs are not trained again.
 */
@Mojo(name = "compare", threadSafe = true)
public class CompareMojo extends ConfiguredMojo {

    /** Comma-separated architectures to compare; default: {@code architecture}. */
    @Parameter(property = "cosub.architectures")
    private String architectures;

    /** Comma-separated methods to compare. */
    @Parameter(property = "cosub.methods", defaultValue = "baseline,cosub")
    private String methods;

    /** Comma-separated seeds; default: {@code seed}. */
    @Parameter(property = "cosub.seeds")
    private String seeds;

    /**
     * Comma-separated budgets: {@code epochs}, {@code compute} or both; default: {@code budget}.
     */
    @Parameter(property = "cosub.budgets")
    private String budgets;

    /** Leaderboard files to merge into this one first; rows already present are skipped. */
    @Parameter(property = "cosub.leaderboards")
    private File[] leaderboards;

    /**
     * Whether to train the configurations that have no run yet. When false, nothing is trained
     * and the tables cover every run of the (merged) leaderboard.
     */
    @Parameter(property = "cosub.trainMissing", defaultValue = "true")
    private boolean trainMissing;

    @Override
    protected void run() throws IOException {
        // cosub trains the same under both budgets: the set keeps one configuration of it.
        Set<RunConfig> grid = new LinkedHashSet<>();
        for (String architecture : list("architectures", architectures, this.architecture)) {
            for (String method : list("methods", methods, this.method)) {
                for (String seed : list("seeds", seeds, Long.toString(this.seed))) {
                    for (String budget : list("budgets", budgets, this.budget)) {
                        grid.add(config(architecture, method, parseSeed(seed), budget));
                    }
                }
            }
        }
        if (trainMissing) {
            grid.forEach(ConfiguredMojo::checkInputs);
        }
        Experiments experiments = experiments();
        experiments.tidyStaging(List.copyOf(grid), cleanStaging);
        Experiments.ComparisonResult result = experiments.compare(List.copyOf(grid),
                leaderboards == null ? List.of()
                        : Arrays.stream(leaderboards).map(File::toPath).toList(),
                trainMissing);
        if (result.missing() > 0) {
            getLog().warn("cosub: " + result.missing() + " configuration(s) of the grid have no"
                    + " run and trainMissing is false");
        }
        Files.readAllLines(experiments.store().comparisonMarkdown()).forEach(getLog()::info);
        Comparison.verdicts(result.rows()).forEach(line -> getLog().info("cosub: " + line));
        getLog().info("cosub: " + result.runs().size() + " run(s) compared; trained "
                + result.trained() + "; written " + experiments.store().leaderboard() + ", "
                + experiments.store().comparisonCsv() + ", "
                + experiments.store().comparisonMarkdown() + " and the report "
                + experiments.store().report());
    }

    private static List<String> list(String parameter, String value, String fallback) {
        String text = value == null || value.isBlank() ? fallback : value;
        List<String> items = Arrays.stream(text.split(","))
                .map(String::trim)
                .filter(item -> !item.isEmpty())
                .toList();
        if (items.isEmpty()) {
            throw new IllegalArgumentException(parameter + " = '" + value
                    + "' is invalid: expected a comma-separated list");
        }
        Set<String> seen = new LinkedHashSet<>();
        for (String item : items) {
            if (!seen.add(item.toLowerCase(java.util.Locale.ROOT))) {
                throw new IllegalArgumentException(parameter + " = '" + value + "' lists '"
                        + item + "' twice: expected each value once");
            }
        }
        return items;
    }

    private static long parseSeed(String seed) {
        try {
            return Long.parseLong(seed);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "seeds: '" + seed + "' is invalid: expected a whole number");
        }
    }
}
