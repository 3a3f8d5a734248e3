package dev.cosub.runtime.export;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import dev.cosub.runtime.engine.Engines;
import dev.cosub.runtime.io.AtomicFiles;
import dev.cosub.runtime.io.InvalidDataException;
import dev.cosub.runtime.io.Json;
import dev.cosub.runtime.model.TimmCounterpart;
import dev.cosub.runtime.runs.Checkpoint;
import dev.cosub.runtime.runs.ExportedModel;
import dev.cosub.runtime.runs.RunFolder;
import dev.cosub.runtime.train.RunConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a run's network as a DJL model folder that an application loads with DJL's own
 * {@code Criteria} and nothing of cosub's but this runtime on its class path:
 *
 * <pre>{@code
 * Criteria<Image, Classifications> criteria = Criteria.builder()
 *         .setTypes(Image.class, Classifications.class)
 *         .optModelPath(folder)
 *         .build();
 * }</pre>
 *
 * <p>The folder holds the weights ({@code cosub-0000.params}, DJL's format), the class names
 * ({@code synset.txt}) and {@code serving.properties}, which names the engine and the block
 * factory that rebuilds the network ({@link CosubBlockFactory}), sets up DJL's own image
 * classification translator to feed it images as its run's evaluation did, and holds the
 * description the factory needs ({@link ExportedModel}). The block takes pixels in [0, 1] and
 * returns probabilities: see {@link ExportedModel#block}.
 *
 * <p>{@link Format#SAFETENSORS} writes the network for PyTorch instead: its weights as
 * safetensors ({@value #SAFETENSORS}) under timm's parameter names where the family has a timm
 * counterpart ({@link TimmCounterpart}), and {@value #DESCRIPTION}, which names timm's model and
 * its constructor arguments and says how the run fed its images.
 */
public final class ModelExport {

    /** What an export writes. */
    public enum Format {
        /** A DJL model folder for {@code Criteria}. */
        DJL,
        /** Safetensors with timm's names, and a JSON description, for PyTorch. */
        SAFETENSORS;

        /**
         * The format called {@code name}, as users type it.
         *
         * @throws IllegalArgumentException naming the formats there are
         */
        public static Format parse(String name) {
            for (Format format : values()) {
                if (format.name().equalsIgnoreCase(name == null ? "" : name.trim())) {
                    return format;
                }
            }
            throw new IllegalArgumentException("format = '" + name + "': expected djl or"
                    + " safetensors");
        }

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The file DJL reads a model folder's settings from. */
    public static final String SERVING_PROPERTIES = "serving.properties";

    /** The class names, one a line in label order. */
    public static final String SYNSET = "synset.txt";

    /** A safetensors export's weights. */
    public static final String SAFETENSORS = "model.safetensors";

    /** A safetensors export's description ({@link SafetensorsDescription}). */
    public static final String DESCRIPTION = "model.json";

    /**
     * What a safetensors export says of its weights.
     *
     * @param names {@code timm} when the tensors have timm's names, {@code cosub} when they have
     *     this project's ({@code Block.getParameters()})
     * @param timmModel the timm model to create, or {@code null} when the family has none
     * @param timmArguments the arguments to create it with, or {@code null}
     * @param timmUnmapped why there is no timm model, or {@code null}
     * @param architecture cosub's family
     * @param size cosub's size
     * @param channels the channels of the images the network takes
     * @param height their height
     * @param width their width
     * @param mean per-channel mean subtracted from pixels in [0, 1] before the network
     * @param std per-channel deviation they are then divided by
     * @param classNames the classes in label order
     * @param activation {@code softmax} or {@code sigmoid}: how the run's logits become
     *     probabilities
     * @param run the run the weights come from
     * @param configHash that run's configuration hash
     */
    public record SafetensorsDescription(String names, String timmModel,
            Map<String, Object> timmArguments, String timmUnmapped, String architecture,
            String size, int channels, int height, int width, float[] mean, float[] std,
            List<String> classNames, String activation, String run, String configHash) {}

    private ModelExport() {}

    /**
     * Writes the model folder of {@code run} to {@code folder}, which must not exist yet: it is
     * written beside it and moved into place whole.
     *
     * @throws InvalidDataException naming the folder when it exists, or the run when its
     *     weights or description are missing
     */
    public static ExportedModel write(RunFolder run, Path folder) throws IOException {
        return write(run, folder, Format.DJL);
    }

    /**
     * Writes {@code run}'s network in {@code format} to {@code folder}, which must not exist
     * yet: it is written beside it and moved into place whole.
     *
     * @throws InvalidDataException naming the folder when it exists, or the run when its
     *     weights or description are missing
     */
    public static ExportedModel write(RunFolder run, Path folder, Format format)
            throws IOException {
        if (Files.exists(folder)) {
            throw new InvalidDataException("export folder " + folder + " already exists: choose"
                    + " another exportDirectory or remove it");
        }
        ExportedModel description = ExportedModel.of(run.record().runId(),
                run.record().configHash(), run.record().result());
        Path weights = run.weights();
        RunConfig config = description.networkConfig();
        String engine = Engines.pytorch().getEngineName();
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), engine)) {
            Block exported = description.newExportedBlock(manager);
            Block network = ExportedModel.network(exported);
            Checkpoint.load(config, network, weights, manager);
            if (format == Format.SAFETENSORS) {
                writeSafetensors(description, network, folder);
                return description;
            }
            AtomicFiles.writeFolder(folder, staging -> {
                try (Model model = Model.newInstance(ExportedModel.MODEL_NAME, Device.cpu(),
                        engine)) {
                    model.setBlock(exported);
                    model.save(staging, ExportedModel.MODEL_NAME);
                }
                Files.write(staging.resolve(SYNSET), description.classNames(),
                        StandardCharsets.UTF_8);
                Files.writeString(staging.resolve(SERVING_PROPERTIES),
                        servingProperties(description, engine), StandardCharsets.UTF_8);
            });
        }
        return description;
    }

    /**
     * Writes {@code network}, described by {@code description}, as a safetensors export: timm's
     * names where its family has them, this project's otherwise.
     */
    static void writeSafetensors(ExportedModel description, Block network, Path folder)
            throws IOException {
        TimmCounterpart timm = description.timm();
        Map<String, String> timmNames = null;
        String timmModel = null;
        Map<String, Object> timmArguments = null;
        String timmUnmapped = null;
        if (timm instanceof TimmCounterpart.Mapped mapped) {
            timmNames = mapped.byProjectName(network);
            timmModel = mapped.name();
            timmArguments = mapped.arguments();
        } else {
            timmUnmapped = ((TimmCounterpart.Unmapped) timm).why();
        }
        SafetensorsDescription json = new SafetensorsDescription(
                timmNames == null ? "cosub" : "timm", timmModel, timmArguments, timmUnmapped,
                description.architecture(), description.size(), description.shape().channels(),
                description.shape().height(), description.shape().width(),
                description.normalization().mean(), description.normalization().std(),
                description.classNames(), description.activation(), description.runId(),
                description.configHash());
        try (NDList tensors = new NDList()) {
            for (Pair<String, Parameter> parameter : network.getParameters()) {
                NDArray copy = parameter.getValue().getArray().duplicate();
                copy.setName(timmNames == null ? parameter.getKey()
                        : timmNames.get(parameter.getKey()));
                tensors.add(copy);
            }
            AtomicFiles.writeFolder(folder, staging -> {
                try (OutputStream out = Files.newOutputStream(staging.resolve(SAFETENSORS))) {
                    tensors.encode(out, NDList.Encoding.SAFETENSORS);
                }
                Files.writeString(staging.resolve(DESCRIPTION), Json.toJson(json),
                        StandardCharsets.UTF_8);
            });
        }
    }

    private static String servingProperties(ExportedModel description, String engine) {
        StringBuilder text = new StringBuilder("# A cosub model: load it with DJL's Criteria"
                + " (optModelPath), cosub-runtime on the class path.\n");
        text.append("engine=").append(engine).append('\n');
        text.append("option.modelName=").append(ExportedModel.MODEL_NAME).append('\n');
        text.append("blockFactory=").append(CosubBlockFactory.class.getName()).append('\n');
        for (Map.Entry<String, String> entry : description.properties().entrySet()) {
            text.append(entry.getKey()).append('=').append(entry.getValue()).append('\n');
        }
        return text.toString();
    }

    /** The class names of the model folder {@code folder}. */
    static List<String> classNames(Path folder) throws IOException {
        Path synset = folder.resolve(SYNSET);
        if (!Files.isRegularFile(synset)) {
            throw new InvalidDataException("model folder " + folder + " has no " + SYNSET
                    + ": is this a folder written by cosub export?");
        }
        return Files.readAllLines(synset, StandardCharsets.UTF_8).stream()
                .filter(line -> !line.isBlank()).toList();
    }
}
