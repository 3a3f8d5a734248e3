package dev.cosub.runtime.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.tracker.CosineTracker;
import ai.djl.training.tracker.Tracker;
import ai.djl.training.tracker.WarmUpTracker;
import dev.cosub.runtime.data.Augmentation;
import dev.cosub.runtime.data.Batch;
import dev.cosub.runtime.data.Batches;
import dev.cosub.runtime.data.ImageDataset;
import dev.cosub.runtime.data.ImagePipeline;
import dev.cosub.runtime.engine.CpuSharing;
import dev.cosub.runtime.engine.Engines;
import dev.cosub.runtime.engine.MatmulPeak;
import dev.cosub.runtime.engine.RunningTrainings;
import dev.cosub.runtime.engine.ThreadShare;
import dev.cosub.runtime.eval.Diagnostics;
import dev.cosub.runtime.eval.EvalMetrics;
import dev.cosub.runtime.eval.Evaluation;
import dev.cosub.runtime.model.Architectures;
import dev.cosub.runtime.model.ImageShape;
import dev.cosub.runtime.model.ModelSpec;
import dev.cosub.runtime.model.TimmCounterpart;
import dev.cosub.runtime.model.layers.Flops;
import dev.cosub.runtime.model.layers.Residual;
import dev.cosub.runtime.stats.Statistics;
import java.nio.FloatBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The one training loop of cosub, for both methods: AdamW with decoupled decay on weights only,
 * linear warm-up then cosine decay, global-norm gradient clipping, evaluation every
 * {@code evalEvery} epochs and after the last. {@link Method} decides how a batch enters the
 * network and which loss is taken.
 *
 * <p>The step losses stay on the device and are read once per window of
 * {@value #STEPS_PER_WINDOW} steps: that one read checks every step for divergence, sums the
 * epoch's loss and times the window, without stalling an asynchronous device at every step.
 */
public final class Training {

    /** Steps between two reads of the losses from the device. */
    static final int STEPS_PER_WINDOW = 16;

    /** How often, at most, progress is reported within an epoch. */
    private static final long PROGRESS_INTERVAL_NANOS = 10_000_000_000L;

    private final RunConfig config;
    private final ImageDataset data;
    private final ProgressListener progress;
    private StartingWeights startingWeights;

    /**
     * Puts a run's {@code initFrom} weights into its freshly initialised network; the
     * orchestration, which knows run and model folders, provides it.
     */
    @FunctionalInterface
    public interface StartingWeights {
        void apply(Block network, NDManager manager);
    }

    /**
     * @throws IllegalArgumentException when a batch would be larger than the training set, or
     *     than one array can hold
     */
    public Training(RunConfig config, ImageDataset data, ProgressListener progress) {
        if (config.batchSize() > data.train().count()) {
            throw new IllegalArgumentException("batchSize = " + config.batchSize()
                    + " is invalid: expected at most the " + data.train().count()
                    + " training images");
        }
        long values = (long) config.batchSize() * data.shape().size();
        if (values > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(String.format(java.util.Locale.ROOT,
                    "batchSize = %d is invalid for %s images: a batch would hold %,d values,"
                            + " more than one array can (%,d); expected at most %d",
                    config.batchSize(), data.shape(), values, Integer.MAX_VALUE,
                    Integer.MAX_VALUE / data.shape().size()));
        }
        this.config = config;
        this.data = data;
        this.progress = progress;
    }

    /** Builds the (uninitialised) network a configuration describes for a dataset. */
    public static Block network(RunConfig config, ImageDataset data) {
        return network(config, data.shape(), data.classes());
    }

    /** The network {@code config} describes for images of {@code shape} and {@code classes}. */
    public static Block network(RunConfig config, ImageShape shape, int classes) {
        return Architectures.byName(config.architecture()).build(modelSpec(config, shape,
                classes));
    }

    /** The same network in timm, or why there is none. */
    public static TimmCounterpart timm(RunConfig config, ImageShape shape, int classes) {
        return Architectures.byName(config.architecture()).timm(modelSpec(config, shape,
                classes));
    }

    private static ModelSpec modelSpec(RunConfig config, ImageShape shape, int classes) {
        return new ModelSpec(config.size(), shape, classes, config.dropPath(),
                config.dropPathSchedule(), config.dropPathMode());
    }

    /**
     * Builds the network and initialises its weights from the run's seed.
     *
     * @param manager owns the weights; its device is where they live
     */
    public static Block initializedNetwork(RunConfig config, ImageDataset data, NDManager manager) {
        Engine.getEngine(Engines.ENGINE_NAME).setRandomSeed((int) config.seed());
        Block network = network(config, data);
        network.initialize(manager, DataType.FLOAT32, data.shape().batch(1));
        return network;
    }

    /** Number of trainable parameters of an initialised network. */
    public static long parameterCount(Block network) {
        return network.getParameters().values().stream()
                .filter(Parameter::requiresGradient)
                .mapToLong(p -> p.getArray().size())
                .sum();
    }

    /**
     * This training, starting from the weights {@code startingWeights} puts in (a run that
     * resumes from its checkpoint starts from that instead).
     */
    public Training startingFrom(StartingWeights weights) {
        this.startingWeights = weights;
        return this;
    }

    /** Trains and evaluates; the network is discarded afterwards. */
    public RunResult run() {
        return run(network -> {}, Checkpoints.NONE);
    }

    /**
     * Trains and evaluates, continuing from the latest checkpoint when there is one and keeping
     * one after every epoch.
     *
     * <p>The engine's generator is seeded from the run's seed at the start of every epoch, and
     * the data order and augmentation of an epoch depend only on the seed and the epoch: with one
     * intra-op thread a resumed run ends exactly as an uninterrupted one.
     *
     * @param onFinished receives the trained network before its memory is released (to save it)
     * @throws TrainingDivergedException when the loss diverges; it carries the epochs done
     */
    public RunResult run(Consumer<Block> onFinished, Checkpoints checkpoints) {
        try {
            return train(onFinished, checkpoints);
        } catch (EngineException e) {
            throw outOfMemory(e).orElseThrow(() -> e);
        }
    }

    /**
     * libtorch's refusal to allocate, as a failure that says what to change; empty for other
     * engine errors.
     */
    Optional<TrainingFailedException> outOfMemory(EngineException e) {
        String message = String.valueOf(e.getMessage());
        if (!message.contains("can't allocate memory") && !message.contains("out of memory")) {
            return Optional.empty();
        }
        return Optional.of(new TrainingFailedException(String.format(Locale.ROOT,
                "out of memory: %s-%s %s with batchSize %d (%d rows per step) needs more memory"
                        + " than %s has; lower batchSize or use a smaller size (%s)",
                config.architecture(), config.size(), config.method(), config.batchSize(),
                config.batchSize() * config.method().passesPerImage(), config.device(),
                message.lines().findFirst().orElse(message).trim()), e));
    }

    private RunResult train(Consumer<Block> onFinished, Checkpoints checkpoints) {
        long runStart = System.nanoTime();
        Engine engine = Engines.pytorch();
        Device device = Engines.device(config.device());
        try (NDManager manager = NDManager.newBaseManager(device, engine.getEngineName());
                ThreadShare share = ThreadShare.start(RunningTrainings.ofThisUser(),
                        describe(config))) {
            Block network = initializedNetwork(config, data, manager);
            long parameters = parameterCount(network);
            long forwardFlops = Flops.perImage(network);
            RunResult.AsTrained asTrained = asTrained(network);

            int trainImages = data.train().count();
            int stepsPerEpoch = Batches.count(trainImages, config.batchSize());
            Tracker learningRate = learningRateSchedule(stepsPerEpoch);
            TrainingStep step = new TrainingStep(config, network, learningRate, manager);
            DivergenceGuard guard = new DivergenceGuard(
                    config.criterion().uninformedLoss(data.classes()), stepsPerEpoch);
            List<Parameter> trainable = network.getParameters().values().stream()
                    .filter(Parameter::requiresGradient)
                    .toList();

            progress.onStart(config, parameters, trainImages, stepsPerEpoch, device.toString());
            Optional<Checkpoints.Restored> restored = checkpoints.restore(network, manager);
            if (restored.isEmpty() && config.initFrom() != null) {
                if (startingWeights == null) {
                    throw new IllegalStateException("initFrom = " + config.initFrom()
                            + " needs the starting weights set: see startingFrom");
                }
                startingWeights.apply(network, manager);
            }
            restored.ifPresent(r -> step.optimizer().restore(r.optimizer(), trainable));
            Checkpoints.Progress start = restored.map(Checkpoints.Restored::progress)
                    .orElseGet(() -> Checkpoints.Progress.fresh(Instant.now(),
                            MatmulPeak.measure(manager)));
            Instant startedAt = start.startedAt();
            double matmulPeak = start.matmulPeakFlopsPerSecond();
            List<EpochMetrics> epochs = new ArrayList<>(start.epochs());
            List<Double> windowRates = new ArrayList<>(start.windowRates());
            List<Double> warmupRates = new ArrayList<>(start.warmupRates());
            List<Integer> resumedAfter = new ArrayList<>(start.resumedAfter());
            double trainSeconds = start.trainSeconds();
            EvalMetrics test = start.lastTest();
            int firstEpoch = start.epochsDone() + 1;
            if (restored.isPresent()) {
                resumedAfter.add(start.epochsDone());
                progress.onResume(start.epochsDone(), config.trainedEpochs());
            }
            try {
                for (int epoch = firstEpoch; epoch <= config.trainedEpochs(); epoch++) {
                    engine.setRandomSeed(epochSeed(config.seed(), epoch));
                    long epochStart = System.nanoTime();
                    EpochTraining done = trainEpoch(step, manager, guard, learningRate, share,
                            epoch, stepsPerEpoch, epochStart, trainSeconds, epoch == 1);
                    double epochSeconds = (System.nanoTime() - epochStart) / 1e9;
                    trainSeconds += epochSeconds;
                    windowRates.addAll(done.windowRates());
                    warmupRates.addAll(done.warmupRates());

                    boolean evaluate = epoch % config.evalEvery() == 0
                            || epoch == config.trainedEpochs();
                    if (evaluate) {
                        share.adjust(epoch, stepsPerEpoch).ifPresent(progress::onThreads);
                    }
                    test = evaluate ? Evaluation.evaluate(network, data.test(),
                            data.pipeline(), data.classes(), config.criterion(),
                            evalBatchSize(), config.dataSpec().threadsOrDefault(), manager)
                            : null;
                    if (test != null && !Double.isFinite(test.loss())) {
                        throw TrainingDivergedException.atEvaluation(epoch, test.loss());
                    }
                    Diagnostics diagnostics = Diagnostics.NONE;
                    if (evaluate) {
                        // Its own seed: the submodels drawn are the same on a resumed run, and
                        // the next epoch reseeds, so the weights do not depend on it.
                        engine.setRandomSeed(epochSeed(~config.seed(), epoch));
                        diagnostics = Diagnostics.measure(network, data.train(), data.test(),
                                data.pipeline(), data.classes(), config.criterion(),
                                evalBatchSize(), config.dataSpec().threadsOrDefault(), manager);
                    }
                    double epochRate = Statistics.median(toArray(done.windowRates().isEmpty()
                            ? done.warmupRates() : done.windowRates()));
                    EpochMetrics metrics = new EpochMetrics(epoch, done.meanLoss(),
                            test == null ? Double.NaN : test.top1(),
                            test == null ? Double.NaN : test.top5(),
                            test == null ? Double.NaN : test.loss(),
                            learningRate.getNewValue(epoch * stepsPerEpoch), epochRate,
                            epochSeconds, diagnostics);
                    epochs.add(metrics);
                    double elapsed = (System.nanoTime() - runStart) / 1e9;
                    int epochsThisStart = epoch - firstEpoch + 1;
                    progress.onEpoch(config, metrics, elapsed,
                            elapsed / epochsThisStart * (config.trainedEpochs() - epoch));
                    if (epoch < config.trainedEpochs()) {
                        checkpoints.save(new Checkpoints.Progress(epoch, epochs, windowRates,
                                        warmupRates, trainSeconds, startedAt, test, matmulPeak,
                                        resumedAfter), network,
                                step.optimizer().state(trainable));
                    }
                }
            } catch (TrainingDivergedException e) {
                throw e.withPartial(result(startedAt, runStart, engine, device, share,
                        parameters, epochs, null, trainSeconds,
                        throughput(windowRates, warmupRates, forwardFlops, matmulPeak),
                        resumedAfter, asTrained));
            }
            onFinished.accept(network);
            // Measured again once training is over: at start-up the JIT's threads compete.
            double peak = Math.max(matmulPeak, MatmulPeak.measure(manager));
            return result(startedAt, runStart, engine, device, share, parameters, epochs,
                    test, trainSeconds, throughput(windowRates, warmupRates, forwardFlops, peak),
                    resumedAfter, asTrained);
        }
    }

    /** The engine seed of an epoch: a function of the run's seed and the epoch alone. */
    static int epochSeed(long seed, int epoch) {
        return Long.hashCode(seed * 1_000_003L + epoch);
    }

    private RunResult result(Instant startedAt, long runStart, Engine engine, Device device,
            ThreadShare share, long parameters, List<EpochMetrics> epochs, EvalMetrics test,
            double trainSeconds,
            Throughput throughput, List<Integer> resumedAfter, RunResult.AsTrained asTrained) {
        return new RunResult(
                config,
                new RunResult.DatasetInfo(data.name(), data.train().count(), data.test().count(),
                        data.shape().toString(), data.classes(), data.classNames(),
                        data.normalization(), data.augmentation()),
                environment(engine, device, share.record()),
                parameters,
                epochs,
                test,
                startedAt,
                trainSeconds,
                (System.nanoTime() - runStart) / 1e9,
                throughput,
                resumedAfter,
                asTrained);
    }

    /** What this training applies, read from the network it built and its data pipeline. */
    private RunResult.AsTrained asTrained(Block network) {
        List<Float> rates = Residual.dropRates(network);
        Augmentation augmentation = config.recipe().augmentation(data.augmentation());
        return new RunResult.AsTrained(config.trainedEpochs(), config.trainedWarmupEpochs(),
                RunResult.AsTrained.scheduleOf(rates, config.dropPath(),
                        config.dropPathSchedule()),
                rates, augmentation, augmentation.threeAugmentSettings(),
                config.recipe().targets(), config.trainSubsetSeed(), Diagnostics.SAMPLE_IMAGES);
    }

    /** A run too short for a window after the warm-up is timed by its warm-up window. */
    private Throughput throughput(List<Double> windowRates, List<Double> warmupRates,
            long forwardFlops, double peak) {
        double[] rates = toArray(windowRates.isEmpty() ? warmupRates : windowRates);
        double median = Statistics.median(rates);
        double flops = 3.0 * forwardFlops * config.method().passesPerImage() * median;
        return new Throughput(median, Statistics.quantile(rates, 0.25),
                Statistics.quantile(rates, 0.75), rates.length, forwardFlops, flops, peak);
    }

    /**
     * What one epoch's training gave.
     *
     * @param meanLoss mean training loss over its steps
     * @param windowRates images per second of each window after the warm-up
     * @param warmupRates images per second of the run's first window, in its first epoch
     */
    private record EpochTraining(double meanLoss, List<Double> windowRates,
            List<Double> warmupRates) {}

    private EpochTraining trainEpoch(TrainingStep step, NDManager manager, DivergenceGuard guard,
            Tracker learningRate, ThreadShare share, int epoch, int stepsPerEpoch,
            long epochStart, double previousSeconds, boolean firstWindowWarmsUp) {
        ImagePipeline pipeline = data.pipeline().withAugmentation(
                config.recipe().augmentation(data.augmentation()));
        int imageSize = data.shape().size();
        long lastReport = epochStart;
        long windowStart = epochStart;
        int windowImages = 0;
        boolean warmingUp = firstWindowWarmsUp;
        List<Double> windowRates = new ArrayList<>();
        List<Double> warmupRates = new ArrayList<>();
        double lossSum = 0;
        int steps = 0;
        try (NDManager windowScope = manager.newSubManager();
                Batches batches = Batches.training(data.train(), pipeline, config.batchSize(),
                        config.seed(), epoch - 1, config.dataSpec().threadsOrDefault())) {
            NDList windowLosses = new NDList();
            while (batches.hasNext()) {
                Batch batch = batches.next();
                steps++;
                share.adjust(epoch, steps - 1).ifPresent(progress::onThreads);
                try (NDManager scope = manager.newSubManager()) {
                    NDArray images = scope.create(
                            FloatBuffer.wrap(batch.pixels(), 0, batch.size() * imageSize),
                            data.shape().batch(batch.size()), DataType.FLOAT32);
                    NDArray targets = targets(scope, batch);
                    NDArray loss = step.run(images, targets);
                    loss.attach(windowScope);
                    windowLosses.add(loss);
                }
                windowImages += batch.size();
                if (windowLosses.size() < STEPS_PER_WINDOW && batches.hasNext()) {
                    continue;
                }
                // One read of the window's losses; it also waits for the device to finish them.
                float[] losses;
                try (NDArray stacked = NDArrays.stack(windowLosses)) {
                    losses = stacked.toFloatArray();
                }
                int firstStep = steps - losses.length + 1;
                for (int i = 0; i < losses.length; i++) {
                    int stepOfEpoch = firstStep + i;
                    guard.check(losses[i], epoch, stepOfEpoch,
                            learningRate.getNewValue((epoch - 1) * stepsPerEpoch + stepOfEpoch));
                    lossSum += losses[i];
                }
                windowLosses.close();
                windowLosses = new NDList();
                long now = System.nanoTime();
                (warmingUp ? warmupRates : windowRates)
                        .add(windowImages / ((now - windowStart) / 1e9));
                warmingUp = false;
                windowStart = now;
                windowImages = 0;
                if (now - lastReport >= PROGRESS_INTERVAL_NANOS && batches.hasNext()) {
                    lastReport = now;
                    double perStep = (previousSeconds + (now - epochStart) / 1e9)
                            / ((epoch - 1) * stepsPerEpoch + steps);
                    int remaining = config.trainedEpochs() * stepsPerEpoch
                            - ((epoch - 1) * stepsPerEpoch + steps);
                    progress.onProgress(epoch, steps, stepsPerEpoch, lossSum / steps,
                            windowRates.isEmpty() ? Double.NaN
                                    : Statistics.median(toArray(windowRates)),
                            perStep * remaining);
                }
            }
        }
        return new EpochTraining(lossSum / steps, windowRates, warmupRates);
    }

    /**
     * One-hot targets; for a mixed batch, each image's label weighted by the mixing weight plus
     * its partner's (the batch reversed) by the rest, binarised for BCE as DeiT III does.
     */
    private NDArray targets(NDManager scope, Batch batch) {
        NDArray oneHot = scope.create(batch.labels()).oneHot(data.classes());
        if (!batch.isMixed()) {
            return oneHot;
        }
        // Binarised, the weighted sum of the two one-hot rows is their union (both weights are
        // positive in a mixed batch): no host number enters the step.
        return oneHot.maximum(oneHot.flip(0));
    }

    private static double[] toArray(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private Tracker learningRateSchedule(int stepsPerEpoch) {
        int totalSteps = config.trainedEpochs() * stepsPerEpoch;
        int warmupSteps = config.trainedWarmupEpochs() * stepsPerEpoch;
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

    private static RunResult.Environment environment(Engine engine, Device device,
            CpuSharing sharing) {
        return RunResult.Environment.of(device.toString(), Engine.getDjlVersion(),
                engine.getEngineName() + " " + engine.getVersion(), sharing);
    }

    /** How other trainings' records name this one. */
    private static String describe(RunConfig config) {
        return String.format(Locale.ROOT, "%s-%s %s seed %d (pid %d)", config.architecture(),
                config.size(), config.method(), config.seed(),
                ProcessHandle.current().pid());
    }
}
