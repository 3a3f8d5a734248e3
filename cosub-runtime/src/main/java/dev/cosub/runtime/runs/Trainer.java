package dev.cosub.runtime.runs;

import dev.cosub.runtime.train.RunConfig;
import java.io.IOException;

/**
 * Trains one configuration into a published run folder and its leaderboard row: in this JVM
 * ({@link LocalTrainer}) or in a child JVM ({@code fork.ForkedTrainer}), which callers choose
 * without either package knowing the other.
 */
public interface Trainer {

    /**
     * @return the published run folder
     * @throws dev.cosub.runtime.io.InvalidDataException when the data or the output directory is
     *     unusable, before training
     * @throws dev.cosub.runtime.train.TrainingFailedException when the loss diverges or the
     *     training JVM dies; no leaderboard row is written
     */
    RunFolder train(RunConfig config) throws IOException;
}
