package dev.cosub.runtime.goals;

import dev.cosub.runtime.fork.ChildJvm;
import dev.cosub.runtime.train.RunConfig;
import java.io.PrintStream;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tells a user who stops a training (Ctrl-C, SIGTERM from a scheduler) what became of it: the
 * epoch of its last checkpoint, and that the same command resumes from there. It follows the
 * run's log lines, whether it trains in this JVM or in a child, and speaks from a shutdown hook
 * that exists only while a run trains. An epoch counts once its checkpoint is written, not when
 * it is reported: a run stopped in between resumes from the epoch before.
 */
public final class Interruption {


    private static final Pattern CHECKPOINTED =
            Pattern.compile("^checkpoint of epoch (\\d+) of (\\d+) written to .*");
    private static final Pattern RESUMED =
            Pattern.compile("^resuming from the checkpoint of epoch (\\d+) of (\\d+)$");

    private final PrintStream err;
    private volatile String run;
    private volatile int epochsDone;
    private volatile int epochs;
    private Thread hook;

    Interruption(PrintStream err) {
        this.err = err;
    }

    /** {@code log}, with each line also read for the run's progress. */
    Consumer<String> following(Consumer<String> log) {
        return line -> {
            see(line);
            log.accept(line);
        };
    }

    void see(String line) {
        Matcher matcher = CHECKPOINTED.matcher(line);
        if (!matcher.matches()) {
            matcher = RESUMED.matcher(line);
        }
        if (matcher.matches()) {
            epochsDone = Integer.parseInt(matcher.group(1));
            epochs = Integer.parseInt(matcher.group(2));
        }
    }

    /** A run of {@code config} starts: until {@link #finished}, an interruption is reported. */
    synchronized void started(RunConfig config) {
        run = String.format(Locale.ROOT, "%s-%s %s seed %d", config.architecture(),
                config.size(), config.method(), config.seed());
        epochsDone = 0;
        epochs = config.trainedEpochs();
        // A training JVM's parent speaks for it.
        if (hook == null && System.getProperty(ChildJvm.PARENT_PID_PROPERTY) == null) {
            hook = new Thread(() -> {
                String message = message();
                if (message != null) {
                    err.println(message);
                    err.flush();
                }
            }, "cosub-interruption");
            Runtime.getRuntime().addShutdownHook(hook);
        }
    }

    /** The run ended, one way or another: nothing to report any more. */
    synchronized void finished() {
        run = null;
        if (hook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // Shutting down already: the hook runs, and says nothing as no run trains.
            }
            hook = null;
        }
    }

    /** What to say if the process ended now, or {@code null} when no run trains. */
    String message() {
        String current = run;
        if (current == null) {
            return null;
        }
        int done = epochsDone;
        if (done == 0) {
            return "cosub: interrupted " + current + " before its first checkpoint; run the same"
                    + " command to start it again";
        }
        return String.format(Locale.ROOT, "cosub: interrupted %s; it has a checkpoint of epoch"
                + " %d of %d: run the same command to resume from there", current, done, epochs);
    }
}
