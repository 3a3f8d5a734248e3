package dev.cosub.runtime.goals;

import dev.cosub.runtime.eval.AccuracyGate;
import dev.cosub.runtime.eval.EvalMetrics;
import dev.cosub.runtime.export.ModelExport;
import dev.cosub.runtime.export.Predictions;
import dev.cosub.runtime.fork.ForkOptions;
import dev.cosub.runtime.io.InvalidDataException;
import dev.cosub.runtime.model.TimmCounterpart;
import dev.cosub.runtime.report.Comparison;
import dev.cosub.runtime.runs.ExportedModel;
import dev.cosub.runtime.runs.Failure;
import dev.cosub.runtime.runs.RunFolder;
import dev.cosub.runtime.runs.RunStore;
import dev.cosub.runtime.runs.Shard;
import dev.cosub.runtime.train.RunConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The goals, each written once: the Maven plugin and the {@code cosub} command only gather
 * parameters, call one of these and turn its {@link Result}, or the {@link Failure} of what it
 * throws, into a build outcome or an exit code.
 */
public final class Goals {

    private Goals() {}

    /**
     * Where a goal's runs go and how they train.
     *
     * @param outputDirectory runs, the leaderboard, tables and report
     * @param projectDirectory whose git commit each run records, or {@code null}
     * @param fork whether each run trains in a child JVM, and how it is started
     * @param resume whether an interrupted run continues from its checkpoint
     * @param force whether a configuration with a complete run trains again
     * @param cleanStaging whether staging folders nothing will resume are removed
     */
    public record Workspace(Path outputDirectory, Path projectDirectory, ForkOptions fork,
            boolean resume, boolean force, boolean cleanStaging) {

        Experiments experiments(Log log) {
            return new Experiments(outputDirectory, projectDirectory, log.info(), fork, resume,
                    force);
        }
    }

    /** Where a goal's lines go: progress and results, and what a user should look at. */
    public record Log(Consumer<String> info, Consumer<String> warn) {}

    /**
     * How a goal ended when it did not throw.
     *
     * @param outcome {@code DONE} or {@code GATE_FAILED}
     * @param message what to tell the user, or {@code null} when done
     */
    public record Result(Failure.Outcome outcome, String message) {
        static final Result DONE = new Result(Failure.Outcome.DONE, null);
    }

    /** Trains one configuration (or reuses its complete run) into the workspace. */
    public static RunFolder train(Workspace workspace, RunConfig config, Log log)
            throws IOException {
        Experiments experiments = workspace.experiments(log);
        experiments.checkInputs(config);
        experiments.tidyStaging(List.of(config), workspace.cleanStaging());
        RunFolder run = experiments.train(config);
        log.info().accept("cosub: run " + run.record().runId() + " in " + run.directory());
        log.info().accept("cosub: leaderboard " + experiments.store().leaderboard());
        return run;
    }

    /**
     * Evaluates a run on its test images and checks the gate.
     *
     * @param outputDirectory where the runs are
     * @param config the configuration whose latest run is evaluated when no run is given
     * @param runDirectory the run, or {@code null} for the latest run of {@code config}
     * @param dataset the dataset asked for, or {@code null} for the run's own
     * @param dataDirectory where the data is when not where the run found it, or {@code null}
     */
    public static Result eval(Path outputDirectory, RunConfig config, Path runDirectory,
            String dataset, Path dataDirectory, AccuracyGate gate, boolean allowOtherData,
            Log log) throws IOException {
        Experiments experiments = reading(outputDirectory, log);
        RunFolder run = runDirectory != null ? RunFolder.open(runDirectory)
                : experiments.latestRun(config);
        log.info().accept("cosub: evaluating run " + run.record().runId() + " ("
                + run.directory() + ")");
        EvalMetrics metrics = experiments.evaluate(run, dataset, dataDirectory, config.device(),
                allowOtherData);
        log.info().accept(String.format(Locale.ROOT,
                "cosub: test top-1 %.2f%%, top-5 %.2f%%, loss %.4f on %,d images",
                100 * metrics.top1(), 100 * metrics.top5(), metrics.loss(), metrics.images()));
        log.info().accept("cosub: figures written to " + run.evalJson());
        List<String> failures = gate.failures(metrics);
        if (!failures.isEmpty()) {
            return new Result(Failure.Outcome.GATE_FAILED, "cosub accuracy gate failed for run "
                    + run.record().runId() + ": " + String.join("; ", failures));
        }
        if (gate.isSet()) {
            log.info().accept("cosub: accuracy gate passed");
        }
        return Result.DONE;
    }

    /**
     * Writes a run's network as a DJL model folder or as safetensors for PyTorch (see
     * {@link ModelExport}).
     *
     * @param outputDirectory where the runs are
     * @param config the configuration whose latest run is exported when no run is given
     * @param runDirectory the run, or {@code null} for the latest run of {@code config}
     * @param exportDirectory the folder to write, or {@code null} for
     *     {@code <outputDirectory>/models/<run id>} ({@code <run id>-safetensors} for
     *     safetensors)
     * @param format what to write
     * @return the folder written
     */
    public static Path export(Path outputDirectory, RunConfig config, Path runDirectory,
            Path exportDirectory, ModelExport.Format format, Log log) throws IOException {
        RunFolder run = runDirectory != null ? RunFolder.open(runDirectory)
                : reading(outputDirectory, log).latestRun(config);
        Path folder = exportDirectory != null ? exportDirectory
                : outputDirectory.resolve("models").resolve(run.record().runId()
                        + (format == ModelExport.Format.SAFETENSORS ? "-safetensors" : ""));
        ExportedModel model = ModelExport.write(run, folder, format);
        String use;
        if (format == ModelExport.Format.DJL) {
            use = "load it with DJL's Criteria (optModelPath) and cosub-runtime on the class path";
        } else if (model.timm() instanceof TimmCounterpart.Mapped timm) {
            use = "timm's names: timm.create_model('" + timm.name() + "', **arguments in "
                    + ModelExport.DESCRIPTION + ") loads it with strict=True";
        } else {
            use = "cosub's names (" + ((TimmCounterpart.Unmapped) model.timm()).why() + ")";
        }
        log.info().accept(String.format(Locale.ROOT, "cosub: run %s exported to %s: %s-%s, %s"
                        + " images, %d classes, %s outputs; %s",
                run.record().runId(), folder, model.architecture(), model.size(), model.shape(),
                model.classNames().size(), model.activation(), use));
        return folder;
    }

    /**
     * Prints the {@code top} classes of each image with the run's network, one line an image.
     * An image that cannot be read is named and skipped; the others are still classified.
     *
     * @param images image files (PNG or JPEG) and folders, whose images are taken in name order
     * @return done, or bad input naming how many images were skipped
     */
    public static Result predict(Path runDirectory, List<Path> images, int top, Log log)
            throws IOException {
        if (top < 1) {
            throw new IllegalArgumentException("top = " + top + ": expected 1 or more");
        }
        RunFolder run = RunFolder.open(runDirectory);
        List<Path> files = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (Path given : images) {
            if (Files.isDirectory(given)) {
                try (Stream<Path> found = Files.walk(given)) {
                    found.filter(Files::isRegularFile)
                            .filter(file -> file.getFileName().toString().toLowerCase(Locale.ROOT)
                                    .matches(".*\\.(png|jpe?g)"))
                            .sorted().forEach(files::add);
                }
            } else if (Files.isRegularFile(given)) {
                files.add(given);
            } else {
                skipped.add(given + ": no such file or folder");
            }
        }
        int asked = files.size() + skipped.size();
        try (Predictions predictions = Predictions.of(run)) {
            for (Path file : files) {
                try {
                    StringJoiner line = new StringJoiner(", ", file + ": ", "");
                    for (Predictions.Prediction p : predictions.classify(file, top)) {
                        line.add(String.format(Locale.ROOT, "%s %.4f", p.className(),
                                p.probability()));
                    }
                    log.info().accept(line.toString());
                } catch (InvalidDataException e) {
                    skipped.add(e.getMessage());
                }
            }
        }
        skipped.forEach(problem -> log.warn().accept("cosub: skipped " + problem));
        if (!skipped.isEmpty()) {
            return new Result(Failure.Outcome.BAD_INPUT, "cosub predict: " + skipped.size()
                    + " of " + asked + " image(s) skipped");
        }
        return Result.DONE;
    }

    /**
     * Brings a comparison of {@code whole} (or of the {@code shard}'s part of it) up to date and
     * writes its tables and report.
     */
    public static Experiments.ComparisonResult compare(Workspace workspace, List<RunConfig> whole,
            Shard shard, List<Path> leaderboards, boolean trainMissing, Log log)
            throws IOException {
        Experiments experiments = workspace.experiments(log);
        Experiments.ComparisonResult result = experiments.compare(whole, shard, leaderboards,
                trainMissing, workspace.cleanStaging());
        if (result.missing() > 0) {
            log.warn().accept("cosub: " + result.missing() + " configuration(s) of the grid have"
                    + " no run and trainMissing is false");
        }
        RunStore store = experiments.store();
        Files.readAllLines(store.comparisonMarkdown()).forEach(log.info());
        Comparison.verdicts(result.rows()).forEach(line -> log.info().accept("cosub: " + line));
        log.info().accept("cosub: " + result.runs().size() + " run(s) compared; trained "
                + result.trained() + "; written " + store.leaderboard() + ", "
                + store.comparisonCsv() + ", " + store.comparisonMarkdown() + " and the report "
                + store.report());
        return result;
    }

    /** Writes the tables and the report of every run of {@code outputDirectory}'s leaderboard. */
    public static List<Comparison.Row> report(Path outputDirectory, Log log) throws IOException {
        Experiments experiments = reading(outputDirectory, log);
        List<Comparison.Row> rows = experiments.report();
        Comparison.verdicts(rows).forEach(line -> log.info().accept("cosub: " + line));
        log.info().accept("cosub: report of " + rows.size() + " comparison row(s) written to "
                + experiments.store().report());
        return rows;
    }

    /** The runs of {@code outputDirectory}, for goals that read them and train nothing. */
    private static Experiments reading(Path outputDirectory, Log log) {
        return new Experiments(outputDirectory, null, log.info(), ForkOptions.inProcess(), true,
                false);
    }
}
