package dev.cosub.runtime.export;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import dev.cosub.runtime.engine.Engines;
import dev.cosub.runtime.io.AtomicFiles;
import dev.cosub.runtime.io.InvalidDataException;
import dev.cosub.runtime.runs.Checkpoint;
import dev.cosub.runtime.runs.ExportedModel;
import dev.cosub.runtime.runs.RunFolder;
import dev.cosub.runtime.train.RunConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
 */
public final class ModelExport {

    /** The file DJL reads a model folder's settings from. */
    public static final String SERVING_PROPERTIES = "serving.properties";

    /** The class names, one a line in label order. */
    public static final String SYNSET = "synset.txt";

    private ModelExport() {}

    /**
     * Writes the model folder of {@code run} to {@code folder}, which must not exist yet: it is
     * written beside it and moved into place whole.
     *
     * @throws InvalidDataException naming the folder when it exists, or the run when its
     *     weights or description are missing
     */
    public static ExportedModel write(RunFolder run, Path folder) throws IOException {
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
            Checkpoint.load(config, ExportedModel.network(exported), weights, manager);
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
