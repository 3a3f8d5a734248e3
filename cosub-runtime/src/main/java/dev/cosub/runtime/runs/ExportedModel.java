package dev.cosub.runtime.runs;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import dev.cosub.runtime.data.Normalization;
import dev.cosub.runtime.io.InvalidDataException;
import dev.cosub.runtime.loss.Criterion;
import dev.cosub.runtime.model.ImageShape;
import dev.cosub.runtime.model.TimmCounterpart;
import dev.cosub.runtime.train.RunConfig;
import dev.cosub.runtime.train.Training;
import dev.cosub.runtime.train.RunResult;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What an exported model folder says about its network, as {@code serving.properties} holds it:
 * enough to rebuild the network and to feed it images as its run was fed, with no run folder.
 *
 * @param architecture the family, e.g. {@code vit}
 * @param size its size, e.g. {@code nano}
 * @param shape the images the network takes
 * @param classNames the classes in label order
 * @param normalization per-channel mean and deviation the run normalised with
 * @param activation how logits become probabilities: {@code sigmoid} for a network trained with
 *     binary cross-entropy (each class on its own), {@code softmax} for cross-entropy
 * @param runId the run the weights come from
 * @param configHash that run's configuration hash
 */
public record ExportedModel(String architecture, String size, ImageShape shape,
        List<String> classNames, Normalization normalization, String activation, String runId,
        String configHash) {

    /** The weights' file prefix: DJL reads {@code cosub-0000.params}. */
    public static final String MODEL_NAME = "cosub";

    private static final String PREFIX = "cosub.";

    /** The description of a finished run's network. */
    public static ExportedModel of(String runId, String configHash, RunResult result) {
        RunConfig config = result.config();
        RunResult.DatasetInfo data = result.dataset();
        if (data.normalization() == null || data.classNames() == null) {
            throw new InvalidDataException("run " + runId + " was recorded before runs kept their"
                    + " normalisation and class names: train it again to export it");
        }
        return new ExportedModel(config.architecture(), config.size(), shape(data.imageShape()),
                List.copyOf(data.classNames()), data.normalization(),
                config.criterion() == Criterion.BCE ? "sigmoid" : "softmax", runId, configHash);
    }

    /** The configuration that builds this network (drop-path plays no part in inference). */
    public RunConfig networkConfig() {
        return RunConfig.builder().architecture(architecture).size(size).build();
    }

    /**
     * What the exported folder holds: {@code network} between the run's normalisation and its
     * output activation, so that it takes pixels in [0, 1] (what DJL's image translators give)
     * and returns class probabilities. The normalisation is in the block because DJL's
     * translator normalises three channels only; the activation because it applies softmax
     * only, and a network trained with binary cross-entropy scores each class with a sigmoid.
     */
    public SequentialBlock block(Block network) {
        float[] mean = normalization.mean();
        float[] std = normalization.std();
        Shape perChannel = new Shape(1, mean.length, 1, 1);
        return new SequentialBlock()
                .add(new LambdaBlock(images -> {
                    NDArray x = images.singletonOrThrow();
                    NDManager manager = x.getManager();
                    return new NDList(x.sub(manager.create(mean, perChannel))
                            .div(manager.create(std, perChannel)));
                }, "normalize"))
                .add(network)
                .add(new LambdaBlock(logits -> new NDList(probabilities(
                        logits.singletonOrThrow())), activation));
    }

    /** The class probabilities of {@code logits}, (batch, classes), by the run's activation. */
    public NDArray probabilities(NDArray logits) {
        return activation.equals("sigmoid") ? Activation.sigmoid(logits) : logits.softmax(-1);
    }

    /**
     * A new network of this description, initialised on {@code manager} (layers that build
     * state from the input shape need that before weights are loaded into it).
     */
    public Block newNetwork(NDManager manager) {
        Block network = Training.network(networkConfig(), shape, classNames.size());
        network.initialize(manager, DataType.FLOAT32, shape.batch(1));
        return network;
    }

    /** The same network in timm, or why there is none. */
    public TimmCounterpart timm() {
        return Training.timm(networkConfig(), shape, classNames.size());
    }

    /** A new exported block ({@link #block} around a new network), initialised likewise. */
    public SequentialBlock newExportedBlock(NDManager manager) {
        SequentialBlock exported = block(Training.network(networkConfig(), shape,
                classNames.size()));
        exported.initialize(manager, DataType.FLOAT32, shape.batch(1));
        return exported;
    }

    /** The network of a block made by {@link #block}. */
    public static Block network(Block exported) {
        return exported.getChildren().get(1).getValue();
    }

    /**
     * The entries of {@code serving.properties} after the engine and factories: DJL's image
     * classification translator set up as the run's evaluation fed images (grey or colour, the
     * shorter side resized to the network's size and the centre square kept, pixels scaled to
     * [0, 1]; the block does the rest), then the description the block factory reads.
     */
    public Map<String, String> properties() {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("width", Integer.toString(shape.width()));
        properties.put("height", Integer.toString(shape.height()));
        properties.put("flag", shape.channels() == 1 ? "GRAYSCALE" : "COLOR");
        properties.put("resizeShort", "true");
        properties.put("centerCrop", "true");
        properties.put("applySoftmax", "false");
        properties.put(PREFIX + "architecture", architecture);
        properties.put(PREFIX + "size", size);
        properties.put(PREFIX + "channels", Integer.toString(shape.channels()));
        properties.put(PREFIX + "imageSize", Integer.toString(shape.height()));
        properties.put(PREFIX + "classes", Integer.toString(classNames.size()));
        properties.put(PREFIX + "normalization", normalization.setting());
        properties.put(PREFIX + "activation", activation);
        properties.put(PREFIX + "run", runId);
        properties.put(PREFIX + "configHash", configHash);
        return properties;
    }

    /**
     * Reads the description back from a model's arguments (DJL hands the entries of
     * {@code serving.properties} to the factories as they are).
     *
     * @throws IllegalArgumentException naming the entry that is missing or malformed
     */
    public static ExportedModel parse(Map<String, ?> arguments, List<String> classNames) {
        int channels = integer(arguments, "channels");
        int imageSize = integer(arguments, "imageSize");
        int classes = integer(arguments, "classes");
        if (classNames.size() != classes) {
            throw new IllegalArgumentException("the model folder lists " + classNames.size()
                    + " class names in synset.txt but " + PREFIX + "classes is " + classes);
        }
        String activation = text(arguments, "activation");
        if (!activation.equals("sigmoid") && !activation.equals("softmax")) {
            throw new IllegalArgumentException(PREFIX + "activation = '" + activation
                    + "': expected sigmoid or softmax");
        }
        return new ExportedModel(text(arguments, "architecture"), text(arguments, "size"),
                new ImageShape(channels, imageSize, imageSize), List.copyOf(classNames),
                Normalization.parse(text(arguments, "normalization")), activation,
                text(arguments, "run"), text(arguments, "configHash"));
    }

    private static String text(Map<String, ?> arguments, String key) {
        Object value = arguments.get(PREFIX + key);
        if (value == null || value.toString().isBlank()) {
            throw new IllegalArgumentException("the model's serving.properties has no "
                    + PREFIX + key + ": is this a folder written by cosub export?");
        }
        return value.toString().trim();
    }

    private static int integer(Map<String, ?> arguments, String key) {
        String value = text(arguments, key);
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(PREFIX + key + " = '" + value
                    + "': expected a whole number");
        }
    }

    private static ImageShape shape(String text) {
        String[] parts = text.toLowerCase(Locale.ROOT).split("x");
        return new ImageShape(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()),
                Integer.parseInt(parts[2].trim()));
    }
}
