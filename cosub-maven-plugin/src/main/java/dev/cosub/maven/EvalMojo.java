package dev.cosub.maven;

import dev.cosub.runtime.eval.AccuracyGate;
import dev.cosub.runtime.eval.EvalMetrics;
import dev.cosub.runtime.goals.Experiments;
import dev.cosub.runtime.runs.RunFolder;
import java.io.File;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
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
        AccuracyGate gate = new AccuracyGate(minTop1, minTop5);
        Experiments experiments = experiments();
        RunFolder run = runDirectory != null
                ? RunFolder.open(runDirectory.toPath())
                : experiments.latestRun(config());
        getLog().info("cosub: evaluating run " + run.record().runId() + " (" + run.directory()
                + ")");
        // The run found by its configuration has this dataset; a run given by its folder keeps
        // its own, as the parameter's default cannot be told from a setting.
        EvalMetrics metrics = experiments.evaluate(run, null,
                dataDirectory == null ? null : dataDirectory.toPath(), device, allowOtherData);
        getLog().info(String.format(Locale.ROOT,
                "cosub: test top-1 %.2f%%, top-5 %.2f%%, loss %.4f on %,d images",
                100 * metrics.top1(), 100 * metrics.top5(), metrics.loss(), metrics.images()));
        getLog().info("cosub: figures written to " + run.evalJson());
        List<String> failures = gate.failures(metrics);
        if (!failures.isEmpty()) {
            throw new MojoFailureException("cosub accuracy gate failed for run "
                    + run.record().runId() + ": " + String.join("; ", failures));
        }
        if (gate.isSet()) {
            getLog().info("cosub: accuracy gate passed");
        }
    }
}
