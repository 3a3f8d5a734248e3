package dev.cosub.runtime.fork;

import dev.cosub.runtime.io.Json;
import dev.cosub.runtime.runs.DatasetCache;
import dev.cosub.runtime.runs.Failure;
import dev.cosub.runtime.runs.LocalTrainer;
import dev.cosub.runtime.runs.RunFolder;
import dev.cosub.runtime.train.RunConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The main class of a forked training JVM: trains one configuration into an output directory,
 * printing progress, and ends with one line that tells the parent what happened.
 *
 * <pre>TrainingChild REQUEST.json</pre>
 */
public final class TrainingChild {

    /** What starts the lines that tell the parent how the child ended. */
    static final String PROTOCOL_PREFIX = "cosub-child-";
    /** The last line of a child that published a run folder: this prefix, then its path. */
    static final String RUN_LINE = PROTOCOL_PREFIX + "run ";
    /** The last line of a child refused by bad input: this prefix, then the message. */
    static final String INVALID_LINE = PROTOCOL_PREFIX + "invalid ";
    /** The last line of a child whose training failed: this prefix, then the message. */
    static final String FAILED_LINE = PROTOCOL_PREFIX + "failed ";

    static final int EXIT_INVALID = 2;
    static final int EXIT_FAILED = 3;

    /**
     * What a child is asked to do.
     *
     * @param outputDirectory where the run folder and the leaderboard row go
     * @param projectDirectory whose git commit is recorded, or {@code null}
     * @param config the configuration to train
     * @param resume whether an interrupted run continues from its checkpoint
     */
    record Request(Path outputDirectory, Path projectDirectory, RunConfig config,
            boolean resume) {}

    private TrainingChild() {}

    /** Writes the request file of a child that trains {@code config} into {@code output}. */
    public static void writeRequest(Path file, Path output, Path project, RunConfig config,
            boolean resume) throws IOException {
        Json.write(new Request(output.toAbsolutePath(),
                project == null ? null : project.toAbsolutePath(), config, resume), file);
    }

    /** The run folder a child's output names on its last line, if it published one. */
    public static Optional<Path> publishedRun(List<String> output) {
        return output.stream()
                .filter(line -> line.startsWith(RUN_LINE))
                .map(line -> Path.of(line.substring(RUN_LINE.length())))
                .reduce((first, last) -> last);
    }

    public static void main(String[] args) {
        ChildJvm.exitWithParent();
        if (args.length != 1) {
            System.err.println("usage: TrainingChild REQUEST.json");
            System.exit(EXIT_INVALID);
        }
        Request request = null;
        try {
            request = Json.read(Path.of(args[0]), Request.class);
            // The parent has checked for a complete run already: train.
            RunFolder run = new LocalTrainer(request.outputDirectory(),
                    request.projectDirectory(), request.resume(), System.out::println,
                    new DatasetCache(System.out::println))
                    .train(request.config());
            System.out.println(RUN_LINE + run.directory());
            System.out.flush();
            System.exit(0);
        } catch (Exception | OutOfMemoryError e) {
            // One line for the parent, which shows it once; the trace only when asked for.
            if (Failure.debug()) {
                e.printStackTrace(System.out);
            }
            Failure failure = Failure.of(e, request == null ? null : request.outputDirectory(),
                    request == null ? null : request.config());
            boolean invalid = failure.outcome() == Failure.Outcome.BAD_INPUT;
            System.out.println((invalid ? INVALID_LINE : FAILED_LINE)
                    + oneLine(failure.message()));
            System.out.flush();
            System.exit(invalid ? EXIT_INVALID : EXIT_FAILED);
        }
    }

    private static String oneLine(String message) {
        return String.valueOf(message).replace('\n', ' ');
    }
}
