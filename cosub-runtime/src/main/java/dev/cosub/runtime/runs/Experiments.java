package dev.cosub.runtime.runs;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import dev.cosub.runtime.data.Datasets;
import dev.cosub.runtime.data.ImageDataset;
import dev.cosub.runtime.data.InvalidDataException;
import dev.cosub.runtime.engine.Engines;
import dev.cosub.runtime.fork.ForkOptions;
import dev.cosub.runtime.fork.ForkedTraining;
import dev.cosub.runtime.eval.EvalMetrics;
import dev.cosub.runtime.eval.Evaluation;
import dev.cosub.runtime.report.Comparison;
import dev.cosub.runtime.report.HtmlReport;
import dev.cosub.runtime.report.Json;
import dev.cosub.runtime.report.Leaderboard;
import dev.cosub.runtime.report.LeaderboardRow;
import dev.cosub.runtime.report.RunResult;
import dev.cosub.runtime.train.ProgressListener;
import dev.cosub.runtime.train.RunConfig;
import dev.cosub.runtime.train.Training;
import dev.cosub.runtime.train.TrainingDivergedException;
import dev.cosub.runtime.train.TrainingFailedException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;

/**
 * What cosub's users do, on top of an output directory: train a configuration into a run folder
 * and the leaderboard, evaluate a run, compare architectures and methods. The Maven goals and the
 * suites runner are thin layers over this class.
 */
public final class Experiments {

    private static final DateTimeFormatter RUN_ID_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private final RunStore store;
    private final Path projectDirectory;
    private final Consumer<String> log;
    private final ForkOptions fork;
    private String loadedKey;
    private ImageDataset loaded;

    /** Experiments that train in this JVM. */
    public Experiments(Path outputDirectory, Path projectDirectory, Consumer<String> log) {
        this(outputDirectory, projectDirectory, log, ForkOptions.inProcess());
    }

    /**
     * @param outputDirectory where runs, the leaderboard and comparisons go
     * @param projectDirectory the project whose git commit is recorded, or {@code null}
     * @param log receives progress lines
     * @param fork whether each run trains in a child JVM, and how it is set up
     */
    public Experiments(Path outputDirectory, Path projectDirectory, Consumer<String> log,
            ForkOptions fork) {
        this.store = new RunStore(outputDirectory);
        this.projectDirectory = projectDirectory;
        this.log = log;
        this.fork = fork;
    }

    public RunStore store() {
        return store;
    }

    /**
     * Trains {@code config}, writes its run folder (checkpoint, {@code run.json},
     * {@code metrics.csv}) and appends it to the leaderboard.
     *
     * <p>With forking on, the run trains in a child JVM, which writes the same run folder and
     * leaderboard row; its progress lines come to this JVM's log.
     *
     * @throws InvalidDataException when the data is missing or malformed, before training
     * @throws TrainingFailedException when the loss diverges (the run is kept as a failed run
     *     folder with its epochs so far) or the child JVM dies; no leaderboard row is written
     */
    public RunFolder train(RunConfig config) throws IOException {
        if (fork.enabled()) {
            Datasets.checkAvailable(config.dataset(), config.dataDirectory());
            return RunFolder.open(ForkedTraining.train(fork, store.outputDirectory(),
                    projectDirectory, config, log));
        }
        ImageDataset data = data(config);
        String configHash = Provenance.configHash(config);
        List<RunRecord.DataFile> dataFiles = data.sourceFiles().stream()
                .map(file -> new RunRecord.DataFile(file.toString(), Provenance.sha256(file)))
                .toList();
        String gitCommit = Provenance.gitCommit(projectDirectory);

        Path staging = store.newStagingFolder();
        try {
            RunResult result;
            try {
                result = new Training(config, data, ProgressListener.lines(log)).run(
                        network -> {
                            try {
                                Checkpoint.save(network, staging.resolve(RunFolder.CHECKPOINT));
                            } catch (IOException e) {
                                throw new UncheckedIOException(e);
                            }
                        });
            } catch (TrainingDivergedException e) {
                if (e.partial() != null) {
                    RunFolder failed = store.publish(staging, new RunRecord(
                            runId(e.partial(), configHash) + "-failed", configHash, gitCommit,
                            dataFiles, RunRecord.Status.FAILED, e.getMessage(), e.partial()));
                    log.accept("run " + failed.record().runId() + " failed; it is recorded in "
                            + failed.directory() + " and gets no leaderboard row");
                }
                throw e;
            }
            RunFolder run = store.publish(staging, RunRecord.complete(runId(result, configHash),
                    configHash, gitCommit, dataFiles, result));
            Leaderboard.append(store.leaderboard(), run.record().leaderboardRow());
            log.accept(String.format(Locale.ROOT,
                    "run %s: test top-1 %.2f%%, top-5 %.2f%% in %s",
                    run.record().runId(), 100 * result.test().top1(), 100 * result.test().top5(),
                    run.directory()));
            return run;
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } finally {
            store.removeStagingFolder(staging);
        }
    }

    private static String runId(RunResult result, String configHash) {
        RunConfig config = result.config();
        return RUN_ID_TIME.format(result.startedAt()) + "-" + config.architecture() + "-"
                + config.size() + "-" + config.method() + "-seed" + config.seed() + "-"
                + configHash.substring(0, 6);
    }

    /**
     * Loads a run's checkpoint and evaluates it on its dataset's test images; writes
     * {@code eval.json} into the run folder.
     *
     * @param dataDirectory where the data is when not where the run found it, or {@code null}
     * @param device auto, cpu, gpu or gpu:N
     */
    public EvalMetrics evaluate(RunFolder run, Path dataDirectory, String device)
            throws IOException {
        RunConfig config = run.record().result().config();
        if (dataDirectory != null) {
            config = config.toBuilder().dataDirectory(dataDirectory).build();
        }
        ImageDataset data = data(config);
        Device target = Engines.device(device);
        EvalMetrics metrics;
        try (NDManager manager =
                NDManager.newBaseManager(target, Engines.pytorch().getEngineName())) {
            Block network = Checkpoint.load(config, data, run.checkpoint(), manager);
            metrics = Evaluation.evaluate(network, data.test(), data.normalization(),
                    data.classes(), config.criterion(), 256, manager);
        }
        Json.write(new EvalRecord(run.record().runId(), Instant.now(), target.toString(),
                data.name(), metrics), run.evalJson());
        return metrics;
    }

    /**
     * Brings a comparison up to date: merges {@code leaderboards} into this directory's
     * leaderboard, trains the configurations of {@code grid} that have no run yet (when
     * {@code trainMissing}), and writes {@code comparison.csv} and {@code comparison.md}.
     *
     * @param grid the configurations compared; their runs make up the tables. When
     *     {@code trainMissing} is false, the tables cover every run of the leaderboard instead.
     * @throws InvalidDataException before anything is trained, when a leaderboard or the data
     *     of a configuration to train is missing or malformed
     */
    public ComparisonResult compare(List<RunConfig> grid, List<Path> leaderboards,
            boolean trainMissing) throws IOException {
        if (!leaderboards.isEmpty()) {
            Leaderboard.MergeResult merged = Leaderboard.merge(store.leaderboard(), leaderboards);
            log.accept("merged " + leaderboards.size() + " leaderboard(s): " + merged.added()
                    + " new run(s), " + merged.duplicates() + " already present");
        }
        recoverUnlistedRuns();
        Set<String> done = new LinkedHashSet<>();
        Leaderboard.read(store.leaderboard()).forEach(row -> done.add(row.configHash()));
        List<RunConfig> missing = grid.stream()
                .filter(config -> !done.contains(Provenance.configHash(config)))
                .toList();
        int trained = 0;
        if (trainMissing) {
            missing.forEach(config -> Datasets.checkAvailable(config.dataset(),
                    config.dataDirectory()));
            log.accept(String.format(Locale.ROOT,
                    "%d of %d configuration(s) already have a run; training %d",
                    grid.size() - missing.size(), grid.size(), missing.size()));
            for (RunConfig config : missing) {
                log.accept(String.format(Locale.ROOT, "[%d/%d] %s-%s %s seed %d",
                        ++trained, missing.size(), config.architecture(), config.size(),
                        config.method(), config.seed()));
                train(config);
            }
        }
        List<LeaderboardRow> runs = Leaderboard.read(store.leaderboard());
        if (trainMissing) {
            Set<String> wanted = new LinkedHashSet<>();
            grid.forEach(config -> wanted.add(Provenance.configHash(config)));
            runs = runs.stream().filter(row -> wanted.contains(row.configHash())).toList();
        }
        return new ComparisonResult(writeComparison(runs), runs, trained,
                trainMissing ? 0 : missing.size());
    }

    /**
     * Writes {@code comparison.csv}, {@code comparison.md} and the HTML report
     * {@code report/index.html} for {@code runs}; the report's learning curves come from the
     * run folders of this output directory.
     */
    public List<Comparison.Row> writeComparison(List<LeaderboardRow> runs) throws IOException {
        List<Comparison.Row> rows = Comparison.of(runs);
        Comparison.writeCsv(rows, store.comparisonCsv());
        Comparison.writeMarkdown(rows, runs, store.comparisonMarkdown());
        HtmlReport.write(store.report(), "cosub vs baseline: " + store.outputDirectory()
                .getFileName(), rows, runs, curves(runs));
        return rows;
    }

    /**
     * Writes the comparison tables and the report for every run of the leaderboard, training
     * nothing.
     */
    public List<Comparison.Row> report() throws IOException {
        recoverUnlistedRuns();
        return writeComparison(Leaderboard.read(store.leaderboard()));
    }

    /** The per-epoch test figures of those of {@code runs} whose folders are here. */
    private List<HtmlReport.Curve> curves(List<LeaderboardRow> runs) throws IOException {
        Set<String> wanted = new LinkedHashSet<>();
        runs.forEach(run -> wanted.add(run.runId()));
        List<HtmlReport.Curve> curves = new java.util.ArrayList<>();
        for (RunFolder run : store.list()) {
            RunRecord record = run.record();
            if (!wanted.contains(record.runId())) {
                continue;
            }
            RunConfig config = record.result().config();
            List<double[]> points = record.result().epochs().stream()
                    .filter(epoch -> !Double.isNaN(epoch.testTop1()))
                    .map(epoch -> new double[] {epoch.epoch(), epoch.testTop1()})
                    .toList();
            curves.add(new HtmlReport.Curve(record.runId(), Provenance.recipeHash(config),
                    config.method().toString(), config.seed(),
                    (long) record.result().dataset().trainImages()
                            * config.method().passesPerImage(), points));
        }
        return curves;
    }

    /**
     * The outcome of {@link #compare}.
     *
     * @param rows the comparison table
     * @param runs the runs it was computed from
     * @param trained runs trained by this call
     * @param missing configurations of the grid without a run, left untrained
     */
    public record ComparisonResult(List<Comparison.Row> rows, List<LeaderboardRow> runs,
            int trained, int missing) {}

    /**
     * Adds to the leaderboard the finished run folders it lacks: a run whose process died
     * between publishing its folder and appending its row is not lost.
     */
    private void recoverUnlistedRuns() throws IOException {
        Set<String> listed = new LinkedHashSet<>();
        Leaderboard.read(store.leaderboard()).forEach(row -> listed.add(row.runId()));
        for (RunFolder run : store.list()) {
            if (!listed.contains(run.record().runId())) {
                log.accept("adding run " + run.record().runId() + " to the leaderboard");
                Leaderboard.append(store.leaderboard(), run.record().leaderboardRow());
            }
        }
    }

    /** The dataset of a configuration; consecutive runs on the same data load it once. */
    private ImageDataset data(RunConfig config) {
        String key = config.dataset() + "|" + config.dataDirectory() + "|" + config.trainSubset()
                + "|" + config.seed();
        if (!key.equals(loadedKey)) {
            loaded = null;
            loaded = Datasets.load(config.dataset(), config.dataDirectory(), config.trainSubset(),
                    config.seed());
            loadedKey = key;
        }
        return loaded;
    }
}
