package dev.cosub.maven;

import dev.cosub.runtime.eval.AccuracyGate;
import dev.cosub.runtime.goals.Goals;
import dev.cosub.runtime.runs.Failure;
import java.io.File;
import java.io.IOException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Evaluates a trained run on its dataset's test images and fails the build when the accuracy is
 * below {@code minTop1} or {@code minTop5}: a CI gate, bound to {@code verify} by default.
 * Writes the figures to the run folder's {@code eval.json}.
 */
@Mojo(name = "eval", defaultPhase = LifecyclePhase.VERIFY, threadSafe = true)
public class EvalMojo extends ConfiguredMojo {

    /**
     * The run folder to evaluate. Default: the latest run under {@code outputDirectory} of the
     * configuration the other parameters describe.
     */
    @Parameter(property = "cosub.runDirectory")
    private File runDirectory;

    /**
     * Whether to evaluate on data files whose contents differ from those the run was trained on
     * (their SHA-256 is in its {@code run.json}). By default such data is refused; when allowed,
     * a warning is logged and {@code eval.json} records which data the figures come from.
     */
    @Parameter(property = "cosub.allowOtherData", defaultValue = "false")
    private boolean allowOtherData;

    /** Lowest acceptable test top-1, a fraction in [0, 1] (0.85 for 85%); unset for no gate. */
    @Parameter(property = "cosub.minTop1")
    private Double minTop1;

    /** Lowest acceptable test top-5, a fraction in [0, 1]; unset for no gate. */
    @Parameter(property = "cosub.minTop5")
    private Double minTop5;

    @Override
    protected void run() throws MojoFailureException, IOException {
        // The run found by its configuration has this dataset; a run given by its folder keeps
        // its own, as the parameter's default cannot be told from a setting.
        Goals.Result result = Goals.eval(outputDirectory.toPath(), config(),
                runDirectory == null ? null : runDirectory.toPath(), null,
                dataDirectory == null ? null : dataDirectory.toPath(),
                new AccuracyGate(minTop1, minTop5), allowOtherData, log());
        if (result.outcome() != Failure.Outcome.DONE) {
            throw new MojoFailureException(result.message());
        }
    }
}
