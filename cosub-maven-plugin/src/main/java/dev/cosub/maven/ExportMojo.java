package dev.cosub.maven;

import dev.cosub.runtime.export.ModelExport;
import dev.cosub.runtime.goals.Goals;
import java.io.File;
import java.io.IOException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Writes a trained run's network as a DJL model folder, bound to {@code package} by default: an
 * application with {@code cosub-runtime} on its class path loads it with DJL's own
 * {@code Criteria.builder().setTypes(Image.class, Classifications.class).optModelPath(folder)},
 * and gets the run's class probabilities for an image, preprocessed as the run's evaluation
 * preprocessed its test images.
 */
@Mojo(name = "export", defaultPhase = LifecyclePhase.PACKAGE, threadSafe = true)
public class ExportMojo extends ConfiguredMojo {

    /**
     * The run folder to export. Default: the latest run under {@code outputDirectory} of the
     * configuration the other parameters describe.
     */
    @Parameter(property = "cosub.runDirectory")
    private File runDirectory;

    /**
     * The model folder to write, which must not exist yet. Default:
     * {@code <outputDirectory>/models/<run id>}.
     */
    @Parameter(property = "cosub.exportDirectory")
    private File exportDirectory;

    /**
     * {@code djl}: a model folder for DJL's {@code Criteria}; {@code safetensors}: the weights
     * under timm's parameter names (ViT, DeiT III, ConvNeXt with a stride-4 stem; cosub's own
     * names for the other families and sizes) with {@code model.json}, for PyTorch.
     */
    @Parameter(property = "cosub.format", defaultValue = "djl")
    private String format;

    @Override
    protected void run() throws IOException {
        Goals.export(outputDirectory.toPath(), config(),
                runDirectory == null ? null : runDirectory.toPath(),
                exportDirectory == null ? null : exportDirectory.toPath(),
                ModelExport.Format.parse(format), log());
    }
}
