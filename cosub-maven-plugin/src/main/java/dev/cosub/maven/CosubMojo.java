package dev.cosub.maven;

import dev.cosub.runtime.goals.Goals;
import dev.cosub.runtime.runs.Failure;
import java.io.File;
import java.io.IOException;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * What every cosub goal has: where its runs are, a switch to skip it, and the one mapping of
 * failures to Maven's outcomes (bad input fails the build as a configuration error, a failed
 * gate or training as a failed goal), shared with the command's exit codes.
 */
abstract class CosubMojo extends AbstractMojo {

    /** Where runs, the leaderboard and comparison tables are written. */
    @Parameter(property = "cosub.outputDirectory",
            defaultValue = "${project.build.directory}/cosub")
    protected File outputDirectory;

    /** Skips the goal. */
    @Parameter(property = "cosub.skip", defaultValue = "false")
    protected boolean skip;

    @Override
    public final void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("cosub: skipped");
            return;
        }
        if (getLog().isDebugEnabled()) {
            // Maven's -X: the training JVM prints its stack traces too.
            System.setProperty(Failure.DEBUG_PROPERTY, "true");
        }
        try {
            run();
        } catch (RuntimeException | IOException | OutOfMemoryError e) {
            // One classification for plugin, command and training JVM: bad input fails the
            // build as a configuration error, anything else as a failed goal.
            Failure failure = Failure.of(e, outputDirectory.toPath(), null);
            if (failure.outcome() == Failure.Outcome.BAD_INPUT) {
                throw new MojoExecutionException("cosub: " + failure.message(), e);
            }
            throw new MojoFailureException("cosub: " + failure.message(), e);
        }
    }

    /** The goal's work; runtime exceptions for bad input become build failures. */
    protected abstract void run() throws MojoFailureException, IOException;

    /** Maven's log as the goals' log. */
    protected Goals.Log log() {
        return new Goals.Log(getLog()::info, getLog()::warn);
    }
}
