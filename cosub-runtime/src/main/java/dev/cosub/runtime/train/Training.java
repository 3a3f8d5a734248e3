package dev.cosub.runtime.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.tracker.CosineTracker;
import ai.djl.training.tracker.Tracker;
import ai.djl.training.tracker.WarmUpTracker;
import dev.cosub.runtime.data.Batch;
import dev.cosub.runtime.data.Batches;
import dev.cosub.runtime.data.ImageDataset;
import dev.cosub.runtime.engine.Engines;
import dev.cosub.runtime.eval.EvalMetrics;
import dev.cosub.runtime.eval.Evaluation;
import dev.cosub.runtime.model.Architectures;
import dev.cosub.runtime.model.ModelSpec;
import dev.cosub.runtime.report.EpochMetrics;
import dev.cosub.runtime.report.RunResult;
import java.nio.FloatBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The one training loop of cosub, for both methods: AdamW with decoupled decay on weights only,
 * linear warm-up then cosine decay, global-norm gradient clipping, evaluation after every epoch.
 * {@link Method} decides how a batch enters the network and which loss is taken.
 */
public final class Training {

    /** How often, at most, progress is reported within an epoch. */
    private static final long PROGRESS_INTERVAL_NANOS = 10_000_000_000L;

    private final RunConfig config;
    private final ImageDataset data;
    private final ProgressListener progress;

    public Training(RunConfig config, ImageDataset data, ProgressListener progress) {
        this.config = config;
        this.data = data;
        this.progress = progress;
    }

    /** Builds the (uninitialised) network a configuration describes for a dataset. */
    public static Block network(RunConfig config, ImageDataset data) {
        return Architectures.byName(config.architecture())
                .build(new ModelSpec(config.size(), data.train().shape(), data.classes(),
                        config.dropPath(), config.dropPathSchedule()));
    }

    /**
     * Builds the network and initialises its weights from the run's seed.
     *
     * @param manager owns the weights; its device is where they live
     */
    public static Block initializedNetwork(RunConfig config, ImageDataset data, NDManager manager) {
        Engine.getEngine(Engines.ENGINE_NAME).setRandomSeed((int) config.seed());
        Block network = network(config, data);
        network.initialize(manager, DataType.FLOAT32, data.train().shape().batch(1));
        return network;
    }

    /** Number of trainable parameters of an initialised network. */
    public static long parameterCount(Block network) {
        return network.getParameters().values().stream()
                .filter(Parameter::requiresGradient)
                .mapToLong(p -> p.getArray().size())
                .sum();
    }

    /** Trains and evaluates; the network is discarded afterwards. */
    public RunResult run() {
        return run(network -> {});
    }

    /**
     * Trains and evaluates.
     *
     * @param onFinished receives the trained network before its memory is released (to save it)
     */
    public RunResult run(Consumer<Block> onFinished) {
        Instant startedAt = Instant.now();
        long runStart = System.nanoTime();
        Engine engine = Engines.pytorch();
        Device device = Engines.device(config.device());
        try (NDManager manager = NDManager.newBaseManager(device, engine.getEngineName())) {
            Block network = initializedNetwork(config, data, manager);
            long parameters = parameterCount(network);

            int trainImages = data.train().count();
            int stepsPerEpoch = Batches.count(trainImages, config.batchSize());
            Tracker learningRate = learningRateSchedule(stepsPerEpoch);
            TrainingStep step = new TrainingStep(config, network, learningRate, manager);

            progress.onStart(config, parameters, trainImages, stepsPerEpoch, device.toString());
            List<EpochMetrics> epochs = new ArrayList<>();
            double trainSeconds = 0;
            int stepsDone = 0;
            EvalMetrics test = null;
            for (int epoch = 1; epoch <= config.epochs(); epoch++) {
                long epochStart = System.nanoTime();
                double trainLoss = trainEpoch(step, manager, epoch, stepsPerEpoch, epochStart,
                        trainSeconds);
                double epochSeconds = (System.nanoTime() - epochStart) / 1e9;
                trainSeconds += epochSeconds;
                stepsDone += stepsPerEpoch;

                test = Evaluation.evaluate(network, data.test(), data.normalization(),
                        data.classes(), config.criterion(), evalBatchSize(), manager);
                EpochMetrics metrics = new EpochMetrics(epoch, trainLoss, test.top1(), test.top5(),
                        test.loss(), learningRate.getNewValue(stepsDone), trainImages / epochSeconds,
                        epochSeconds);
                epochs.add(metrics);
                double elapsed = (System.nanoTime() - runStart) / 1e9;
                progress.onEpoch(config, metrics, elapsed,
                        elapsed / epoch * (config.epochs() - epoch));
            }
            onFinished.accept(network);
            double wallSeconds = (System.nanoTime() - runStart) / 1e9;
            return new RunResult(
                    config,
                    new RunResult.DatasetInfo(data.name(), trainImages, data.test().count(),
                            data.train().shape().toString(), data.classes()),
                    environment(engine, device),
                    parameters,
                    epochs,
                    test,
                    startedAt,
                    trainSeconds,
                    wallSeconds,
                    (double) trainImages * config.epochs() / trainSeconds);
        }
    }

    private double trainEpoch(TrainingStep step, NDManager manager, int epoch,
            int stepsPerEpoch, long epochStart, double previousSeconds) {
        Batches batches = Batches.training(data.train(), config.batchSize(), data.normalization(),
                data.augmentation(), config.seed(), epoch - 1);
        int imageSize = data.train().shape().size();
        long lastReport = epochStart;
        int imagesSeen = 0;
        int steps = 0;
        try (NDManager epochScope = manager.newSubManager()) {
            // Summed on the device: reading a loss every step would stall the pipeline.
            NDArray lossSum = epochScope.zeros(new ai.djl.ndarray.types.Shape());
            while (batches.hasNext()) {
                Batch batch = batches.next();
                steps++;
                try (NDManager scope = manager.newSubManager()) {
                    NDArray images = scope.create(
                            FloatBuffer.wrap(batch.pixels(), 0, batch.size() * imageSize),
                            data.train().shape().batch(batch.size()), DataType.FLOAT32);
                    NDArray targets = scope.create(batch.labels()).oneHot(data.classes());
                    lossSum.addi(step.run(images, targets));
                }
                imagesSeen += batch.size();
                long now = System.nanoTime();
                if (now - lastReport >= PROGRESS_INTERVAL_NANOS && batches.hasNext()) {
                    lastReport = now;
                    double seconds = (now - epochStart) / 1e9;
                    double perStep = (previousSeconds + seconds)
                            / ((epoch - 1) * stepsPerEpoch + steps);
                    int remaining = config.epochs() * stepsPerEpoch
                            - ((epoch - 1) * stepsPerEpoch + steps);
                    progress.onProgress(epoch, steps, stepsPerEpoch, lossSum.getFloat() / steps,
                            imagesSeen / seconds, perStep * remaining);
                }
            }
            return lossSum.getFloat() / steps;
        }
    }

    private Tracker learningRateSchedule(int stepsPerEpoch) {
        int totalSteps = config.epochs() * stepsPerEpoch;
        int warmupSteps = config.warmupEpochs() * stepsPerEpoch;
        Tracker cosine = CosineTracker.builder()
                .setBaseValue(config.learningRate())
                .optFinalValue(config.learningRate() * 0.01f)
                .setMaxUpdates(totalSteps - warmupSteps)
                .build();
        if (warmupSteps == 0) {
            return cosine;
        }
        return WarmUpTracker.builder()
                .setMainTracker(cosine)
                .optWarmUpSteps(warmupSteps)
                .optWarmUpBeginValue(config.learningRate() / warmupSteps)
                .build();
    }

    private int evalBatchSize() {
        return Math.max(256, config.batchSize() * config.method().passesPerImage());
    }

    private static RunResult.Environment environment(Engine engine, Device device) {
        return new RunResult.Environment(
                device.toString(),
                Engine.getDjlVersion(),
                engine.getEngineName() + " " + engine.getVersion(),
                System.getProperty("java.vendor") + " " + System.getProperty("java.version"),
                System.getProperty("os.name") + " " + System.getProperty("os.arch"));
    }
}
