package dev.cosub.maven;

import dev.cosub.runtime.goals.Goals;
import java.io.IOException;
import org.apache.maven.plugins.annotations.Mojo;

/**
 * Trains one configuration with cosub or the baseline. Writes the run folder
 * {@code <outputDirectory>/runs/<run-id>/} ({@code run.json}, {@code metrics.csv} and the
 * checkpoint {@code model.params}) and appends a row to {@code <outputDirectory>/leaderboard.csv}.
 * A configuration with a complete run there is not trained again unless {@code force}; an
 * interrupted one resumes from its last completed epoch unless {@code resume} is off.
 */
@Mojo(name = "train", threadSafe = true)
public class TrainMojo extends TrainingMojo {

    @Override
    protected void run() throws IOException {
        Goals.train(workspace(), config(), log());
    }
}
