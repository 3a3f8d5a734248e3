package dev.cosub.runtime.train;

import dev.cosub.runtime.io.Digests;
import dev.cosub.runtime.io.InvalidDataException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The weights a run starts from ({@code initFrom}): a run folder, a model folder written by
 * {@code cosub export} (either format), or a safetensors file with this project's or timm's
 * parameter names. Their SHA-256 names them in the configuration, so that other weights at the
 * same path make another configuration.
 */
public final class InitFrom {

    /** A run folder's weights (raw DJL block parameters). */
    public static final String RUN_WEIGHTS = "model.params";

    /** An exported folder's weights (a DJL model file). */
    public static final String EXPORTED_WEIGHTS = "cosub-0000.params";

    /** A safetensors export's weights. */
    public static final String SAFETENSORS_WEIGHTS = "model.safetensors";

    private InitFrom() {}

    /**
     * The weights file of {@code initFrom}.
     *
     * @throws InvalidDataException naming the path when it holds no kind of weights
     */
    public static Path weightsFile(Path initFrom) {
        if (isSafetensors(initFrom) && Files.isRegularFile(initFrom)) {
            return initFrom;
        }
        for (String name : new String[] {RUN_WEIGHTS, EXPORTED_WEIGHTS, SAFETENSORS_WEIGHTS}) {
            Path file = initFrom.resolve(name);
            if (Files.isDirectory(initFrom) && Files.isRegularFile(file)) {
                return file;
            }
        }
        throw new InvalidDataException("initFrom = " + initFrom + ": expected a run folder (with"
                + " run.json and " + RUN_WEIGHTS + "), a model folder written by cosub export"
                + " (with " + EXPORTED_WEIGHTS + " or " + SAFETENSORS_WEIGHTS + ") or a"
                + " .safetensors file");
    }

    /** Whether {@code file} is named as safetensors weights are. */
    public static boolean isSafetensors(Path file) {
        Path name = file.getFileName();
        return name != null && name.toString().endsWith(".safetensors");
    }

    /** The SHA-256 of {@code initFrom}'s weights file, in hex. */
    public static String sha256(Path initFrom) {
        return Digests.file(weightsFile(initFrom));
    }
}
