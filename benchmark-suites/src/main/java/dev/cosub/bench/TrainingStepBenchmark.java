package dev.cosub.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.training.tracker.Tracker;
import dev.cosub.runtime.data.Batch;
import dev.cosub.runtime.data.Batches;
import dev.cosub.runtime.data.Datasets;
import dev.cosub.runtime.data.ImageDataset;
import dev.cosub.runtime.engine.Engines;
import dev.cosub.runtime.train.Method;
import dev.cosub.runtime.train.RunConfig;
import dev.cosub.runtime.train.Training;
import dev.cosub.runtime.train.TrainingStep;
import java.nio.FloatBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Training images per second of one optimisation step (batch to tensor, forward, loss, backward,
 * clipping, AdamW update), for every nano architecture and both methods, on the CPU. The step is
 * the one the training loop runs. A score is images per second: cosub's ideal is half the
 * baseline's, since it runs every image through two submodels.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@OperationsPerInvocation(TrainingStepBenchmark.BATCH)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
@Fork(value = 1, jvmArgsAppend = "-Dai.djl.offline=true")
public class TrainingStepBenchmark {

    static final int BATCH = 128;

    @Param({"regnet", "vit", "pit", "xcit", "swin", "convnext"})
    public String architecture;

    @Param({"baseline", "cosub"})
    public String method;

    private NDManager manager;
    private TrainingStep step;
    private ImageDataset data;
    private Batch batch;

    @Setup(Level.Trial)
    public void setUp() {
        RunConfig config = RunConfig.builder().architecture(architecture)
                .method(Method.parse(method)).dataset("synthetic").batchSize(BATCH)
                .device("cpu").build();
        data = Datasets.load("synthetic", null, BATCH, 0);
        try (Batches batches = Batches.training(data.train(), data.pipeline(), BATCH, 0, 0, 1)) {
            batch = batches.next();
        }
        manager = NDManager.newBaseManager(Engines.device("cpu"),
                Engines.pytorch().getEngineName());
        Block network = Training.initializedNetwork(config, data, manager);
        step = new TrainingStep(config, network, Tracker.fixed(config.learningRate()), manager);
    }

    @Benchmark
    public float trainingStep() {
        try (NDManager scope = manager.newSubManager()) {
            NDArray images = scope.create(
                    FloatBuffer.wrap(batch.pixels(), 0, BATCH * data.shape().size()),
                    data.shape().batch(BATCH), DataType.FLOAT32);
            NDArray targets = scope.create(batch.labels()).oneHot(data.classes());
            return step.run(images, targets).getFloat();
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        manager.close();
    }
}
