package dev.cosub.runtime.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cosub.runtime.io.InvalidDataException;
import dev.cosub.runtime.runs.Failure.Outcome;
import dev.cosub.runtime.train.RunConfig;
import dev.cosub.runtime.train.TrainingFailedException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One sentence and one outcome per kind of failure, for plugin, command and training JVM. */
class FailureTest {

    @TempDir
    Path dir;

    @Test
    void badInputAndFailedTrainingKeepTheirMessages() {
        assertEquals(new Failure(Outcome.BAD_INPUT, "epochs = 0 is invalid"),
                Failure.of(new IllegalArgumentException("epochs = 0 is invalid"), null, null));
        assertEquals(Outcome.BAD_INPUT,
                Failure.of(new InvalidDataException("x"), null, null).outcome());
        assertEquals(Outcome.BAD_INPUT,
                Failure.of(new TrainingInProgressException("busy"), null, null).outcome());
        assertEquals(new Failure(Outcome.TRAINING_FAILED, "diverged"),
                Failure.of(new TrainingFailedException("diverged"), null, null));
    }

    @Test
    void aFullDiskNamesTheFileAndTheFreeSpace() {
        Path file = dir.resolve("runs/model.params");
        Failure failure = Failure.of(new UncheckedIOException(new FileSystemException(
                file.toString(), null, "No space left on device")), null, null);
        assertEquals(Outcome.TRAINING_FAILED, failure.outcome());
        assertTrue(failure.message().startsWith("the disk is full: cannot write " + file
                + " ("), failure.message());
        assertTrue(failure.message().matches(".* free of .*\\. Free some space and run the same"
                + " command again: .*"), failure.message());

        Failure unnamed = Failure.of(new IOException("No space left on device"), dir, null);
        assertTrue(unnamed.message().startsWith("the disk is full: cannot write " + dir),
                unnamed.message());
    }

    @Test
    void aDirectoryThatCannotBeWrittenIsBadInputNamingIt() {
        Path file = dir.resolve("comparison.csv");
        Failure denied = Failure.of(new AccessDeniedException(file.toString()), null, null);
        assertEquals(Outcome.BAD_INPUT, denied.outcome());
        assertTrue(denied.message().startsWith("permission denied: cannot write " + file),
                denied.message());
        Failure readOnly = Failure.of(new FileSystemException(file.toString(), null,
                "Read-only file system"), null, null);
        assertEquals(Outcome.BAD_INPUT, readOnly.outcome());
        assertTrue(readOnly.message().contains("Read-only file system"), readOnly.message());
    }

    @Test
    void runningOutOfMemoryNamesTheRunAndWhatToChange() {
        RunConfig config = RunConfig.builder().architecture("convnext").batchSize(512).build();
        Failure failure = Failure.of(new OutOfMemoryError("Java heap space"), null, config);
        assertEquals(Outcome.TRAINING_FAILED, failure.outcome());
        assertEquals("out of memory training convnext-nano cosub with batchSize 512: the Java"
                + " heap (Java heap space) ran out. Lower batchSize (cosub runs each image"
                + " twice), or give the training JVM more memory (jvmArgs -Xmx)",
                failure.message());
    }

    @Test
    void anythingElseIsAnInternalErrorWhoseTraceIsOneFlagAway() {
        Failure failure = Failure.of(new IllegalStateException("oops"), null, null);
        assertEquals(Outcome.TRAINING_FAILED, failure.outcome());
        assertEquals("internal error: java.lang.IllegalStateException: oops (--debug, or Maven's"
                + " -e, prints the stack trace)", failure.message());
    }
}
