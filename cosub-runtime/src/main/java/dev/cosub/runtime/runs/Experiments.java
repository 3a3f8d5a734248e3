package dev.cosub.runtime.runs;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import dev.cosub.runtime.data.DataSpec;
import dev.cosub.runtime.data.Datasets;
import dev.cosub.runtime.data.ImageDataset;
import dev.cosub.runtime.data.Normalization;
import dev.cosub.runtime.data.InvalidDataException;
import dev.cosub.runtime.engine.Engines;
import dev.cosub.runtime.fork.ForkOptions;
import dev.cosub.runtime.fork.ForkedTraining;
import dev.cosub.runtime.eval.EvalMetrics;
import dev.cosub.runtime.eval.Evaluation;
import dev.cosub.runtime.report.AtomicFiles;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
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
    private final boolean resume;
    private final boolean force;
    private final Interruption interruption = new Interruption(System.err);
    private DataSpec loadedKey;
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
        this(outputDirectory, projectDirectory, log, fork, true, false);
    }

    /**
     * @param resume whether an interrupted run of a configuration continues from its last
     *     checkpoint ({@code false}: it starts afresh, discarding the checkpoint)
     * @param force whether a configuration that already has a complete run trains again
     */
    public Experiments(Path outputDirectory, Path projectDirectory, Consumer<String> log,
            ForkOptions fork, boolean resume, boolean force) {
        this.store = new RunStore(outputDirectory);
        this.projectDirectory = projectDirectory;
        this.log = interruption.following(log);
        this.fork = fork;
        this.resume = resume;
        this.force = force;
    }

    public RunStore store() {
        return store;
    }

    /**
     * Trains {@code config}, writes its run folder (checkpoint, {@code run.json},
     * {@code metrics.csv}) and appends it to the leaderboard. A configuration that already has a
     * complete run here is not trained again unless {@code force}: its run is returned. A run
     * that was interrupted continues from the checkpoint of its last completed epoch unless
     * {@code resume} is off.
     *
     * <p>With forking on, the run trains in a child JVM, which writes the same run folder and
     * leaderboard row; its progress lines come to this JVM's log.
     *
     * @throws InvalidDataException when the data or the output directory is unusable, before
     *     training
     * @throws TrainingFailedException when the loss diverges (the run is kept as a failed run
     *     folder with its epochs so far) or the child JVM dies; no leaderboard row is written
     * @throws TrainingInProgressException when another build trains the same configuration into
     *     the same output directory
     */
    public RunFolder train(RunConfig config) throws IOException {
        String configHash = Provenance.configHash(config);
        if (!force) {
            Optional<RunFolder> done = store.latest(configHash);
            if (done.isPresent()) {
                RunRecord record = done.get().record();
                String madeBy = CodeVersion.describe(record.code());
                String running = CodeVersion.describe(CodeVersion.current());
                log.accept("configuration " + configHash + " already has a complete run, "
                        + record.runId() + ", made by cosub " + madeBy
                        + (madeBy.equals(running) ? "" : " (this is cosub " + running + ")")
                        + ": reusing it (force=true trains it again)");
                return done.get();
            }
        }
        store.checkWritable();
        interruption.started(config);
        try {
            if (fork.enabled()) {
                Datasets.checkAvailable(config.dataSpec(), log);
                return RunFolder.open(ForkedTraining.train(fork, store.outputDirectory(),
                        projectDirectory, config, resume, log));
            }
            return trainHere(config, configHash);
        } finally {
            interruption.finished();
        }
    }

    /**
     * Reports the staging folders that interrupted runs left behind: those of {@code planned}
     * configurations are resumed when they train; the others are named, and removed when
     * {@code remove}.
     *
     * @return how many were removed
     */
    public int tidyStaging(List<RunConfig> planned, boolean remove) throws IOException {
        store.unreadable().forEach(problem -> log.accept("skipping a folder that is not a"
                + " readable run: " + problem));
        Set<String> hashes = new LinkedHashSet<>();
        planned.forEach(config -> hashes.add(Provenance.configHash(config)));
        int removed = 0;
        Set<Path> plannedFolders = new LinkedHashSet<>();
        hashes.forEach(hash -> plannedFolders.add(store.stagingFolder(hash)));
        for (RunStore.StaleStaging stale : store.staleStaging()) {
            boolean resumable = stale.checkpoint()
                    .map(header -> hashes.contains(header.configHash())).orElse(false);
            if (resumable && resume) {
                log.accept("interrupted run to resume: " + stale.describe());
            } else if (plannedFolders.contains(stale.folder())) {
                // Its configuration trains now, in this very folder: not stale.
                log.accept("interrupted run without a usable checkpoint, which starts afresh: "
                        + stale.folder());
            } else if (remove) {
                store.remove(stale);
                removed++;
                log.accept("removed the stale staging folder " + stale.describe());
            } else {
                log.accept("stale staging folder (cleanStaging removes it): "
                        + stale.describe());
            }
        }
        return removed;
    }

    private RunFolder trainHere(RunConfig config, String configHash) throws IOException {
        ImageDataset data = data(config);
        List<RunRecord.DataFile> dataFiles = TrainingData.of(data);
        String gitCommit = Provenance.gitCommit(projectDirectory);
        // Checks the configuration against the data before a staging folder exists, so that bad
        // input leaves nothing behind.
        Training training = new Training(config, data, ProgressListener.lines(log));
        // Whatever goes wrong below, the staging folder stays with the checkpoint of the last
        // completed epoch, for the next attempt to resume.
        try (RunStore.Staging staging = store.stage(configHash)) {
            Path folder = staging.folder();
            Path resumeFile = folder.resolve(ResumeFile.NAME);
            if (!resume && Files.deleteIfExists(resumeFile)) {
                log.accept("resume=false: discarded the checkpoint in " + folder);
            }
            RunResult result;
            try {
                result = training.run(
                        network -> {
                            try {
                                Checkpoint.save(network, folder.resolve(RunFolder.CHECKPOINT));
                            } catch (IOException e) {
                                throw new UncheckedIOException(e);
                            }
                        }, new ResumeFile(resumeFile, config, log));
            } catch (TrainingDivergedException e) {
                // A diverged run is no starting point for another attempt.
                Files.deleteIfExists(resumeFile);
                if (e.partial() != null) {
                    RunFolder failed = store.publish(folder, new RunRecord(
                            runId(e.partial(), configHash) + "-failed", configHash, gitCommit,
                            CodeVersion.current(), dataFiles, RunRecord.Status.FAILED,
                            e.getMessage(), e.partial()));
                    log.accept("run " + failed.record().runId() + " failed; it is recorded in "
                            + failed.directory() + " and gets no leaderboard row");
                }
                throw e;
            }
            Files.deleteIfExists(resumeFile);
            RunFolder run = store.publish(folder, RunRecord.complete(runId(result, configHash),
                    configHash, gitCommit, dataFiles, result));
            Leaderboard.append(store.leaderboard(), run.record().leaderboardRow());
            log.accept(String.format(Locale.ROOT,
                    "run %s: test top-1 %.2f%%, top-5 %.2f%% in %s",
                    run.record().runId(), 100 * result.test().top1(), 100 * result.test().top5(),
                    run.directory()));
            return run;
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static String runId(RunResult result, String configHash) {
        RunConfig config = result.config();
        return RUN_ID_TIME.format(result.startedAt()) + "-" + config.architecture() + "-"
                + config.size() + "-" + config.method() + "-seed" + config.seed() + "-"
                + configHash.substring(0, 6);
    }

    /**
     * The latest complete run of {@code config} under the output directory.
     *
     * @throws IllegalArgumentException when there is none, naming the closest run there and how
     *     its configuration differs
     */
    public RunFolder latestRun(RunConfig config) throws IOException {
        String hash = Provenance.configHash(config);
        Optional<RunFolder> latest = store.latest(hash);
        if (latest.isPresent()) {
            return latest.get();
        }
        String closest = store.closest(config)
                .map(run -> "; the closest run there, " + run.record().runId() + ", differs in "
                        + String.join(", ", Provenance.differences(config,
                                run.record().result().config())))
                .orElse("; it holds no complete run");
        throw new IllegalArgumentException(String.format(Locale.ROOT,
                "no finished run of %s-%s %s seed %d (config hash %s) under %s%s. Train it with"
                        + " the same parameters first, or set runDirectory",
                config.architecture(), config.size(), config.method(), config.seed(), hash,
                store.runsDirectory(), closest));
    }

    /**
     * Loads a run's checkpoint and evaluates it on its dataset's test images; writes
     * {@code eval.json} into the run folder and adds the figures to its
     * {@code eval-history.jsonl}. The data is matched part by part with the data the run
     * recorded (see {@link TrainingData}), wherever it lies.
     *
     * @param dataset the dataset asked for, or {@code null} for the run's own; a run is only
     *     evaluated on the dataset it was trained on
     * @param dataDirectory where the data is when not where the run found it, or {@code null}
     * @param device auto, cpu, gpu or gpu:N
     * @param allowOtherData whether to evaluate on data files whose contents differ from those
     *     the run was trained on (the record then says so)
     * @throws InvalidDataException naming each differing part and both hashes, when the data
     *     differs and that is not allowed
     * @throws IllegalArgumentException when {@code dataset} is not the run's
     */
    public EvalMetrics evaluate(RunFolder run, String dataset, Path dataDirectory, String device,
            boolean allowOtherData) throws IOException {
        RunConfig config = run.record().result().config();
        if (dataset != null && !Datasets.canonical(dataset).equals(config.dataset())) {
            throw new IllegalArgumentException("dataset = " + dataset + ", but run "
                    + run.record().runId() + " was trained on " + config.dataset() + ": a run is"
                    + " evaluated on the dataset it was trained on (leave dataset out)");
        }
        if (dataDirectory != null) {
            config = config.toBuilder().dataDirectory(dataDirectory).build();
        }
        // The normalisation the network was trained with, even where it was measured on the
        // training images: it is not measured again, and data that differs cannot shift it.
        Normalization trained = run.record().result().dataset().normalization();
        if (trained != null && config.normalization() == null) {
            config = config.toBuilder().normalization(trained.setting()).build();
        }
        ImageDataset data = data(config);
        List<RunRecord.DataFile> dataFiles = TrainingData.of(data);
        List<String> differences = TrainingData.differences(run.record().dataFiles(), dataFiles);
        if (!differences.isEmpty() && !allowOtherData) {
            throw new InvalidDataException("run " + run.record().runId() + " was trained on"
                    + " other data: " + String.join("; ", differences)
                    + ". Point dataDirectory at the data it was trained on, or set"
                    + " allowOtherData=true to evaluate on this data (the figures then record"
                    + " that they come from other data)");
        }
        differences.forEach(difference -> log.accept("warning: evaluating on other data than"
                + " the run was trained on: " + difference));
        Device target = Engines.device(device);
        EvalMetrics metrics;
        try (NDManager manager =
                NDManager.newBaseManager(target, Engines.pytorch().getEngineName())) {
            Block network = Checkpoint.load(config, data, run.checkpoint(), manager);
            metrics = Evaluation.evaluate(network, data.test(), data.pipeline(), data.classes(),
                    config.criterion(), 256, config.dataSpec().threadsOrDefault(), manager);
        }
        EvalRecord record = new EvalRecord(run.record().runId(), Instant.now(),
                target.toString(), data.name(), dataFiles, differences.isEmpty(), differences,
                metrics);
        Json.write(record, run.evalJson());
        Path history = run.directory().resolve(RunFolder.EVAL_HISTORY);
        List<String> lines = new java.util.ArrayList<>(Files.exists(history)
                ? Files.readAllLines(history) : List.of());
        lines.add(Json.toCompactJson(record));
        AtomicFiles.writeString(history, String.join("\n", lines) + "\n");
        return metrics;
    }

    /**
     * Fails before any work when the data or the device of {@code config} is not there (an
     * archive to download is fetched here, once).
     *
     * @throws InvalidDataException naming the missing directory or file
     * @throws IllegalArgumentException for a device the engine does not have
     */
    public void checkInputs(RunConfig config) {
        Datasets.checkAvailable(config.dataSpec(), log);
        Engines.device(config.device());
    }

    /**
     * {@link #compare} for the {@code shard}'s part of {@code whole}, after reporting (and with
     * {@code removeStaging} removing) the staging folders nothing of that part will resume.
     */
    public ComparisonResult compare(List<RunConfig> whole, Shard shard, List<Path> leaderboards,
            boolean trainMissing, boolean removeStaging) throws IOException {
        List<RunConfig> grid = shard.of(whole);
        if (shard.count() > 1) {
            log.accept("shard " + shard + " trains " + grid.size() + " of the grid's "
                    + whole.size() + " configurations");
        }
        tidyStaging(grid, removeStaging);
        return compare(grid, leaderboards, trainMissing);
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
            missing.forEach(this::checkInputs);
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
     *
     * @throws InvalidDataException when the output directory holds no runs at all (most often a
     *     mistyped directory), rather than writing an empty report
     */
    public List<Comparison.Row> report() throws IOException {
        if (!Files.exists(store.leaderboard()) && store.list().isEmpty()) {
            throw new InvalidDataException("no runs in " + store.outputDirectory()
                    + ": it has no leaderboard.csv and no run folders; expected the"
                    + " outputDirectory of earlier train or compare runs");
        }
        recoverUnlistedRuns();
        return writeComparison(Leaderboard.read(store.leaderboard()));
    }

    /** The per-epoch figures of those of {@code runs} whose folders are here. */
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
            curves.add(new HtmlReport.Curve(record.runId(), Provenance.recipeHash(config),
                    config.method().toString(), config.seed(),
                    (long) record.result().dataset().trainImages()
                            * config.method().passesPerImage(), record.result().epochs()));
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
        DataSpec key = config.dataSpec();
        if (!key.equals(loadedKey)) {
            loaded = null;
            loaded = Datasets.load(key, log);
            loadedKey = key;
        }
        return loaded;
    }
}
