package dev.cosub.runtime.fork;

import dev.cosub.runtime.data.Datasets;
import dev.cosub.runtime.runs.RunFolder;
import dev.cosub.runtime.runs.Trainer;
import dev.cosub.runtime.train.RunConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;

/** Trains each configuration in a child JVM, which writes the run folder and leaderboard row. */
public final class ForkedTrainer implements Trainer {

    private final ForkOptions options;
    private final Path outputDirectory;
    private final Path projectDirectory;
    private final boolean resume;
    private final Consumer<String> log;

    /**
     * @param options how the child JVM is started
     * @param outputDirectory where run folders and the leaderboard go
     * @param projectDirectory the project whose git commit is recorded, or {@code null}
     * @param resume whether an interrupted run continues from its last checkpoint
     * @param log receives the child's progress lines
     */
    public ForkedTrainer(ForkOptions options, Path outputDirectory, Path projectDirectory,
            boolean resume, Consumer<String> log) {
        this.options = options;
        this.outputDirectory = outputDirectory;
        this.projectDirectory = projectDirectory;
        this.resume = resume;
        this.log = log;
    }

    @Override
    public RunFolder train(RunConfig config) throws IOException {
        // The child loads the data itself; an archive to download is fetched here, once.
        Datasets.checkAvailable(config.dataSpec(), log);
        return RunFolder.open(ForkedTraining.train(options, outputDirectory, projectDirectory,
                config, resume, log));
    }
}
