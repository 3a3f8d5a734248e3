package dev.cosub.runtime.goals;

import dev.cosub.runtime.data.Datasets;
import dev.cosub.runtime.engine.Engines;
import dev.cosub.runtime.eval.EvalMetrics;
import dev.cosub.runtime.fork.ForkOptions;
import dev.cosub.runtime.fork.ForkedTrainer;
import dev.cosub.runtime.io.InvalidDataException;
import dev.cosub.runtime.report.Comparison;
import dev.cosub.runtime.report.Reports;
import dev.cosub.runtime.runs.CodeVersion;
import dev.cosub.runtime.runs.DatasetCache;
import dev.cosub.runtime.runs.Leaderboard;
import dev.cosub.runtime.runs.LeaderboardRow;
import dev.cosub.runtime.runs.LocalTrainer;
import dev.cosub.runtime.runs.Provenance;
import dev.cosub.runtime.runs.RunEvaluation;
import dev.cosub.runtime.runs.RunFolder;
import dev.cosub.runtime.runs.RunRecord;
import dev.cosub.runtime.runs.RunStore;
import dev.cosub.runtime.runs.Shard;
import dev.cosub.runtime.runs.Trainer;
import dev.cosub.runtime.runs.TrainingData;
import dev.cosub.runtime.runs.TrainingInProgressException;
import dev.cosub.runtime.train.RunConfig;
import dev.cosub.runtime.train.TrainingFailedException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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

    private final RunStore store;
    private final Consumer<String> log;
    private final boolean resume;
    private final boolean force;
    private final Interruption interruption = new Interruption(System.err);
    private final Trainer trainer;
    private final RunEvaluation evaluation;

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
        this.log = interruption.following(log);
        this.resume = resume;
        this.force = force;
        DatasetCache datasets = new DatasetCache(this.log);
        this.trainer = fork.enabled()
                ? new ForkedTrainer(fork, outputDirectory, projectDirectory, resume, this.log)
                : new LocalTrainer(outputDirectory, projectDirectory, resume, this.log, datasets);
        this.evaluation = new RunEvaluation(this.log, datasets);
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
            if (done.isPresent() && !done.get().hasWeights()) {
                log.accept("configuration " + configHash + " has the record of run "
                        + done.get().record().runId() + " but not its weights: training it again");
            } else if (done.isPresent()) {
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
            return trainer.train(config);
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
            boolean resumable = stale.checkpointConfigHash()
                    .map(hashes::contains).orElse(false);
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
        return evaluation.evaluate(run, dataset, dataDirectory, device, allowOtherData);
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
        syncLeaderboard();
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
        return new ComparisonResult(Reports.write(store, runs), runs, trained,
                trainMissing ? 0 : missing.size());
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
        syncLeaderboard();
        return Reports.write(store, Leaderboard.read(store.leaderboard()));
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
     * Brings the leaderboard in line with the run folders here: a run whose process died
     * between publishing its folder and appending its row is not lost, and a row written by an
     * older version gets the columns its record holds.
     */
    private void syncLeaderboard() throws IOException {
        Leaderboard.SyncResult sync = Leaderboard.sync(store.leaderboard(), store.list().stream()
                .map(run -> run.record().leaderboardRow()).toList());
        if (sync.added() > 0) {
            log.accept("added " + sync.added() + " run(s) to the leaderboard from their folders");
        }
        if (sync.rewritten() > 0) {
            log.accept("rewrote " + sync.rewritten() + " leaderboard row(s) from their run.json,"
                    + " which holds columns the rows lacked");
        }
    }
}
