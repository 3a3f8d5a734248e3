package dev.cosub.maven;

import dev.cosub.runtime.goals.Experiments;
import dev.cosub.runtime.runs.RunFolder;
import dev.cosub.runtime.train.RunConfig;
import java.io.IOException;
import java.util.List;
import org.apache.maven.plugins.annotations.Mojo;

/**
 * Trains one configuration with cosub or the baseline. Writes the run folder
 * {@code <outputDirectory>/runs/<run-id>/} ({@code run.json}, {@code metrics.csv} and the
 * checkpoint {@code model.params}) and appends a row to {@code <outputDirectory>/leaderboard.csv}.
 * A configuration with a complete run there is not trained again unless {@code force}; an
 * interrupted one resumes from its last completed epoch unless {@code resume} is off.
 */
@Mojo(name = "train", threadSafe = true)
public class TrainMojo extends ConfiguredMojo {

    @Override
    protected void run() throws IOException {
        RunConfig config = config();
        Experiments experiments = experiments();
        experiments.checkInputs(config);
        experiments.tidyStaging(List.of(config), cleanStaging);
        RunFolder run = experiments.train(config);
        getLog().info("cosub: run folder " + run.directory());
        getLog().info("cosub: leaderboard " + experiments.store().leaderboard());
    }
}
