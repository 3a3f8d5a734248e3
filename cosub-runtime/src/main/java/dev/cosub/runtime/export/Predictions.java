package dev.cosub.runtime.export;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import dev.cosub.runtime.data.Augmentation;
import dev.cosub.runtime.data.ImageFolder;
import dev.cosub.runtime.data.ImagePipeline;
import dev.cosub.runtime.engine.Engines;
import dev.cosub.runtime.runs.Checkpoint;
import dev.cosub.runtime.runs.ExportedModel;
import dev.cosub.runtime.runs.RunFolder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A run's network classifying image files, each decoded as an image folder's images are and fed
 * as the run's evaluation fed its test images: the centre square resized bilinearly to the
 * network's size, normalised with the run's own statistics; probabilities by the run's output
 * activation.
 */
public final class Predictions implements AutoCloseable {

    private final ExportedModel model;
    private final ImagePipeline pipeline;
    private final NDManager manager;
    private final Block network;

    private Predictions(RunFolder run) {
        this.model = ExportedModel.of(run.record().runId(), run.record().configHash(),
                run.record().result());
        this.pipeline = new ImagePipeline(model.shape(), model.normalization(),
                Augmentation.NONE);
        this.manager = NDManager.newBaseManager(Device.cpu(), Engines.pytorch().getEngineName());
        try {
            this.network = Checkpoint.load(model.networkConfig(), model.newNetwork(manager),
                    run.weights(), manager);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /**
     * The run's network, ready to classify.
     *
     * @throws dev.cosub.runtime.io.InvalidDataException when the run has no weights or predates
     *     the records that describe its input
     */
    public static Predictions of(RunFolder run) {
        return new Predictions(run);
    }

    /** The description of the network: its input, classes and activation. */
    public ExportedModel model() {
        return model;
    }

    /**
     * The {@code top} most probable classes of the image in {@code file}, most probable first.
     *
     * @throws dev.cosub.runtime.io.InvalidDataException naming the file when it is not a
     *     readable PNG or JPEG, or is colour where the network takes grey
     */
    public List<Prediction> classify(Path file, int top) {
        float[] pixels = pipeline.evaluation(ImageFolder.read(file, model.shape().channels(),
                "given to a network trained on grey images"));
        try (NDManager scope = manager.newSubManager()) {
            NDArray x = scope.create(FloatBuffer.wrap(pixels), model.shape().batch(1),
                    DataType.FLOAT32);
            float[] probabilities = model.probabilities(network.forward(
                    new ParameterStore(scope, false), new NDList(x), false).singletonOrThrow())
                    .toFloatArray();
            List<Prediction> ranked = new ArrayList<>();
            for (int c = 0; c < probabilities.length; c++) {
                ranked.add(new Prediction(model.classNames().get(c), probabilities[c]));
            }
            ranked.sort(Comparator.comparingDouble(Prediction::probability).reversed());
            return List.copyOf(ranked.subList(0, Math.min(top, ranked.size())));
        }
    }

    @Override
    public void close() {
        manager.close();
    }

    /**
     * One class and its probability.
     *
     * @param className the class's name
     * @param probability in [0, 1]; under a sigmoid the classes' probabilities need not sum to 1
     */
    public record Prediction(String className, double probability) {}
}
