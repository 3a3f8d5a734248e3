package dev.cosub.runtime.runs;

import dev.cosub.runtime.engine.EngineUnavailableException;
import dev.cosub.runtime.io.InvalidDataException;
import dev.cosub.runtime.train.RunConfig;
import dev.cosub.runtime.train.TrainingFailedException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileStore;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * What a user is told when a goal fails, decided in one place for the plugin, the command and
 * the training JVM: one sentence naming the cause, and the outcome that fits it. A stack trace is
 * for {@link #debug} only.
 *
 * @param outcome how the goal ended
 * @param message the sentence to show
 */
public record Failure(Outcome outcome, String message) {

    /** How a goal ends; the command's exit codes. */
    public enum Outcome {
        DONE(0),
        /** The accuracy gate was not met. */
        GATE_FAILED(1),
        /** A parameter, a file or the data was refused; nothing trained. */
        BAD_INPUT(2),
        /** The work failed: training diverged, its JVM died, the disk filled, an engine error. */
        TRAINING_FAILED(3);

        private final int exitCode;

        Outcome(int exitCode) {
            this.exitCode = exitCode;
        }

        public int exitCode() {
            return exitCode;
        }
    }

    /** The system property that asks for stack traces; the training JVM inherits it. */
    public static final String DEBUG_PROPERTY = "cosub.debug";

    private static final String NO_SPACE = "No space left on device";

    /** Whether stack traces are wanted ({@code --debug}, Maven's {@code -X}). */
    public static boolean debug() {
        return Boolean.getBoolean(DEBUG_PROPERTY);
    }

    /**
     * Classifies {@code e}.
     *
     * @param output the output directory the goal writes to, named when a write failed without
     *     saying where; may be {@code null}
     * @param config the configuration being trained, named when memory ran out; may be
     *     {@code null}
     */
    public static Failure of(Throwable e, Path output, RunConfig config) {
        if (e instanceof UncheckedIOException unchecked) {
            return of(unchecked.getCause(), output, config);
        }
        if (e instanceof InvalidDataException || e instanceof IllegalArgumentException
                || e instanceof EngineUnavailableException
                || e instanceof TrainingInProgressException) {
            return new Failure(Outcome.BAD_INPUT, e.getMessage());
        }
        if (e instanceof TrainingFailedException) {
            return new Failure(Outcome.TRAINING_FAILED, e.getMessage());
        }
        if (e instanceof IOException io) {
            return io(io, output);
        }
        // libtorch refusing to allocate is turned into a TrainingFailedException by Training,
        // which knows the device and the rows per step.
        if (e instanceof OutOfMemoryError) {
            return new Failure(Outcome.TRAINING_FAILED, outOfMemory(e, config));
        }
        return new Failure(Outcome.TRAINING_FAILED, "internal error: " + e
                + (debug() ? "" : " (--debug, or Maven's -e, prints the stack trace)"));
    }

    private static Failure io(IOException e, Path output) {
        Path path = e instanceof FileSystemException fs && fs.getFile() != null
                ? Path.of(fs.getFile()) : output;
        String reason = String.valueOf(e instanceof FileSystemException fs
                && fs.getReason() != null ? fs.getReason() : e.getMessage());
        String where = path == null ? "" : " " + path;
        if (reason.contains(NO_SPACE)) {
            return new Failure(Outcome.TRAINING_FAILED, "the disk is full: cannot write" + where
                    + freeSpace(path) + ". Free some space and run the same command again:"
                    + " finished runs and the leaderboard are intact, and an interrupted run"
                    + " resumes from its last checkpoint");
        }
        if (e instanceof AccessDeniedException || reason.contains("Read-only file system")
                || reason.contains("Permission denied")) {
            return new Failure(Outcome.BAD_INPUT, "permission denied: cannot write" + where
                    + " (" + reason + "): expected a directory this user can write, e.g. set"
                    + " outputDirectory");
        }
        if (e instanceof NoSuchFileException) {
            return new Failure(Outcome.BAD_INPUT, (path == null ? reason : path.toString())
                    + " does not exist");
        }
        return new Failure(Outcome.TRAINING_FAILED, "cannot read or write" + where + ": "
                + reason);
    }

    /** How much room is left where {@code path} (or its nearest existing folder) lies. */
    private static String freeSpace(Path path) {
        for (Path p = path; p != null; p = p.toAbsolutePath().getParent()) {
            if (Files.exists(p)) {
                try {
                    FileStore store = Files.getFileStore(p);
                    return String.format(Locale.ROOT, " (now %s free of %s on %s)",
                            size(store.getUsableSpace()), size(store.getTotalSpace()), store);
                } catch (IOException e) {
                    return "";
                }
            }
        }
        return "";
    }

    private static String size(long bytes) {
        return bytes >= 1L << 30 ? String.format(Locale.ROOT, "%.1f GiB", bytes / 1073741824.0)
                : String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }

    private static String outOfMemory(Throwable e, RunConfig config) {
        String what = "the Java heap (" + e.getMessage() + ")";
        String run = config == null ? "" : String.format(Locale.ROOT,
                " training %s-%s %s with batchSize %d", config.architecture(), config.size(),
                config.method(), config.batchSize());
        return "out of memory" + run + ": " + what + " ran out. Lower batchSize (cosub runs"
                + " each image twice), or give the training JVM more memory (jvmArgs -Xmx)";
    }
}
