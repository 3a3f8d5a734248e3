package dev.cosub.runtime.runs;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import dev.cosub.runtime.data.Datasets;
import dev.cosub.runtime.data.ImageDataset;
import dev.cosub.runtime.data.Normalization;
import dev.cosub.runtime.engine.Engines;
import dev.cosub.runtime.eval.EvalMetrics;
import dev.cosub.runtime.eval.Evaluation;
import dev.cosub.runtime.io.AtomicFiles;
import dev.cosub.runtime.io.InvalidDataException;
import dev.cosub.runtime.io.Json;
import dev.cosub.runtime.train.RunConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Evaluates finished runs from their checkpoints, keeping every evaluation in the run folder. */
public final class RunEvaluation {

    private final Consumer<String> log;
    private final DatasetCache datasets;

    /** @param datasets where the data of each run is loaded, shared with the training */
    public RunEvaluation(Consumer<String> log, DatasetCache datasets) {
        this.log = log;
        this.datasets = datasets;
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
        ImageDataset data = datasets.of(config);
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
            Block network = Checkpoint.load(config, data, run.weights(), manager);
            metrics = Evaluation.evaluate(network, data.test(), data.pipeline(), data.classes(),
                    config.criterion(), 256, config.dataSpec().threadsOrDefault(), manager);
        }
        EvalRecord record = new EvalRecord(run.record().runId(), Instant.now(),
                target.toString(), data.name(), dataFiles, differences.isEmpty(), differences,
                metrics);
        Json.write(record, run.evalJson());
        Path history = run.directory().resolve(RunFolder.EVAL_HISTORY);
        List<String> lines = new ArrayList<>(Files.exists(history)
                ? Files.readAllLines(history) : List.of());
        lines.add(Json.toCompactJson(record));
        AtomicFiles.writeString(history, String.join("\n", lines) + "\n");
        return metrics;
    }
}
