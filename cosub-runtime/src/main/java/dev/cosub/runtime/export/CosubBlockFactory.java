package dev.cosub.runtime.export;

import ai.djl.Model;
import ai.djl.nn.Block;
import ai.djl.nn.BlockFactory;
import dev.cosub.runtime.runs.ExportedModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Rebuilds an exported network, with its normalisation and output activation, for DJL's model
 * loader, which then reads its weights: named by {@code blockFactory} in the folder's
 * {@code serving.properties}.
 */
public final class CosubBlockFactory implements BlockFactory {

    private static final long serialVersionUID = 1L;

    @Override
    public Block newBlock(Model model, Path modelPath, Map<String, ?> arguments)
            throws IOException {
        ExportedModel description = ExportedModel.parse(arguments,
                ModelExport.classNames(modelPath));
        // Initialised on the model's manager; the loader then overwrites every parameter with
        // the exported weights.
        return description.newExportedBlock(model.getNDManager());
    }
}
