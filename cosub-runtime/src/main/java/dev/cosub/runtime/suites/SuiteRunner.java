package dev.cosub.runtime.suites;

import dev.cosub.runtime.fork.ForkOptions;
import dev.cosub.runtime.goals.Experiments;
import dev.cosub.runtime.io.AtomicFiles;
import dev.cosub.runtime.report.Reports;
import dev.cosub.runtime.runs.Provenance;
import dev.cosub.runtime.runs.RunFolder;
import dev.cosub.runtime.runs.RunRecord;
import dev.cosub.runtime.runs.RunStore;
import dev.cosub.runtime.stats.Statistics;
import dev.cosub.runtime.train.RunConfig;
import dev.cosub.runtime.train.Throughput;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToDoubleFunction;
import java.util.function.UnaryOperator;

/**
 * Runs a named suite: run folders, a leaderboard and the comparison tables of its runs
 * ({@code comparison.md}, {@code comparison.csv}) under {@code <root>/<suite>/}, and a speed table
 * ({@code speed.md}): for each configuration its median training rate, model FLOP/s and their
 * share of the matrix-product peak measured in the same training process. Users run it as
 * {@code cosub suite NAME}.
 *
 * <p>With {@code rounds} above one every configuration trains that many times, the
 * configurations taking turns, so that a noisy machine slows them alike; the speed table then
 * gives the median over rounds and its range. With {@code reuse} a configuration that already
 * has a run in the suite's directory is not trained again, even one whose weights were not kept
 * (a published folder), so an interrupted long suite picks up where it stopped (its speeds then
 * come from different invocations). The tables are rewritten after every run: a long suite's
 * finished cells can be read, and committed, while it goes on.
 */
public final class SuiteRunner {

    private SuiteRunner() {}

    /**
     * Prepares and runs the named suite, printing its comparison and speed table.
     *
     * @param root the folder that holds every suite's folder
     * @param override applied to every run of the suite (epochs, device, ...)
     * @return the suite's folder
     * @throws IllegalArgumentException for an unknown suite name
     */
    public static Path run(String name, Path root, UnaryOperator<RunConfig.Builder> override,
            int rounds, ForkOptions fork, boolean reuse) throws IOException {
        if (rounds < 1) {
            throw new IllegalArgumentException("rounds must be at least 1, got " + rounds);
        }
        Map<String, Suite> suites = Suites.all(root, override);
        Suite suite = suites.get(name);
        if (suite == null) {
            throw new IllegalArgumentException("unknown suite '" + name + "': expected one of "
                    + suites.keySet());
        }
        Path out = root.resolve(suite.name());
        System.out.println(suite.name() + ": " + suite.description());
        suite.preparation().prepare(System.out::println);
        run(suite, out, fork, rounds, reuse);
        RunStore store = new RunStore(out);
        System.out.println();
        System.out.println(Files.readString(store.comparisonMarkdown()));
        System.out.println(Files.readString(out.resolve(SPEED_TABLE)));
        System.out.println("written to " + out.toAbsolutePath());
        return out;
    }

    /** Where the suite is run from: its git commit, if any, goes into each run's record. */
    private static final Path WORKING_DIRECTORY = Path.of("").toAbsolutePath();

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
        Experiments experiments = new Experiments(out, WORKING_DIRECTORY, System.out::println,
                fork, reuse, !reuse);
        RunStore store = experiments.store();
        List<RunRecord> runs = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            for (RunConfig config : suite.runs()) {
                Optional<RunFolder> done = reuse
                        ? store.latest(Provenance.configHash(config)) : Optional.empty();
                runs.add(done.isPresent() ? done.get().record()
                        : experiments.train(config).record());
                Reports.write(store, runs.stream().map(RunRecord::leaderboardRow).toList());
                AtomicFiles.writeString(out.resolve(SPEED_TABLE), speedTable(suite, runs));
            }
        }
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
}
