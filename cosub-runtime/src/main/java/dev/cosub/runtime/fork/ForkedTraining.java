package dev.cosub.runtime.fork;

import dev.cosub.runtime.io.InvalidDataException;
import dev.cosub.runtime.runs.Provenance;
import dev.cosub.runtime.train.RunConfig;
import dev.cosub.runtime.train.TrainingFailedException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Trains one configuration in a child JVM ({@link TrainingChild}) and turns the way the child
 * ended into this JVM's result: the run folder it published, the bad input or training failure
 * it reported, or a failure naming the exit code and its last lines when it died.
 */
public final class ForkedTraining {

    private ForkedTraining() {}

    /**
     * @param resume whether an interrupted run of the configuration continues from its
     *     checkpoint
     * @param log receives the child's progress lines
     * @return the run folder the child published
     * @throws InvalidDataException when the child refused the configuration or its data
     * @throws TrainingFailedException when the training diverged or the child died; nothing was
     *     added to the leaderboard
     */
    public static Path train(ForkOptions options, Path outputDirectory, Path projectDirectory,
            RunConfig config, boolean resume, Consumer<String> log) throws IOException {
        Path request = Files.createTempFile("cosub-train-", ".json");
        try {
            TrainingChild.writeRequest(request, outputDirectory, projectDirectory, config,
                    resume);
            List<String> protocol = new ArrayList<>();
            ChildJvm.Exit exit = ChildJvm.run(options, TrainingChild.class.getName(),
                    List.of(request.toString()), line -> {
                        if (line.startsWith(TrainingChild.PROTOCOL_PREFIX)) {
                            protocol.add(line);
                        } else {
                            log.accept(line);
                        }
                    });
            return outcome(exit, protocol, config);
        } finally {
            Files.deleteIfExists(request);
        }
    }

    static Path outcome(ChildJvm.Exit exit, List<String> protocol, RunConfig config) {
        String last = protocol.isEmpty() ? "" : protocol.get(protocol.size() - 1);
        if (exit.exitCode() == 0 && last.startsWith(TrainingChild.RUN_LINE)) {
            return Path.of(last.substring(TrainingChild.RUN_LINE.length()));
        }
        if (last.startsWith(TrainingChild.INVALID_LINE)) {
            throw new InvalidDataException(last.substring(TrainingChild.INVALID_LINE.length()));
        }
        if (last.startsWith(TrainingChild.FAILED_LINE)) {
            throw new TrainingFailedException(last.substring(TrainingChild.FAILED_LINE.length()));
        }
        throw new TrainingFailedException(String.format(Locale.ROOT,
                "the training JVM of %s-%s %s seed %d (config %s) died with %s; no run was"
                        + " recorded and nothing was added to the leaderboard. Its last lines:%n%s",
                config.architecture(), config.size(), config.method(), config.seed(),
                Provenance.configHash(config), exit.describe(),
                String.join(System.lineSeparator(), exit.tail())));
    }
}
