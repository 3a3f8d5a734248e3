package dev.cosub.runtime.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunningTrainingsTest {

    @TempDir
    Path directory;

    @Test
    void trainingsSeeEachOtherUntilTheyEnd() {
        RunningTrainings registry = new RunningTrainings(directory.resolve("running"));
        assertEquals(0, registry.count(), "no folder yet: nobody runs");

        try (RunningTrainings.Registration first = registry.register("vit-nano cosub seed 0")) {
            assertEquals(1, registry.count());
            assertEquals(List.of(), first.others());
            try (RunningTrainings.Registration second = registry.register("convnext-nano")) {
                assertEquals(2, registry.count());
                assertEquals(List.of("convnext-nano"), first.others());
                assertEquals(List.of("vit-nano cosub seed 0"), second.others());
            }
            assertEquals(1, registry.count());
        }
        assertEquals(0, registry.count());
    }

    @Test
    void theEntryOfAProcessThatDiedIsRemovedByTheNextReader() throws Exception {
        Process ended = new ProcessBuilder("true").start();
        ended.waitFor();
        long startedAt = ProcessHandle.current().info().startInstant().orElseThrow()
                .toEpochMilli();
        Path dead = directory.resolve(ended.pid() + "-0-1.training");
        // This process's id under another start: its id was reused by this process.
        Path reused = directory.resolve(ProcessHandle.current().pid() + "-"
                + (startedAt - 60_000) + "-1.training");
        Path alive = directory.resolve(ProcessHandle.current().pid() + "-" + startedAt
                + "-1.training");
        Path unreadableName = directory.resolve("not-a-training.training");
        for (Path file : List.of(dead, reused, alive, unreadableName)) {
            Files.writeString(file, file.getFileName().toString());
        }

        assertEquals(1, new RunningTrainings(directory).count());
        assertFalse(Files.exists(dead));
        assertFalse(Files.exists(reused));
        assertFalse(Files.exists(unreadableName));
        assertTrue(Files.exists(alive));
    }

    @Test
    void aFolderThatCannotBeWrittenSeesNobodyAndFailsNothing() throws Exception {
        Path file = Files.writeString(directory.resolve("a-file"), "not a folder");
        RunningTrainings registry = new RunningTrainings(file.resolve("running"));

        try (RunningTrainings.Registration registration = registry.register("vit")) {
            assertEquals(0, registry.count());
            assertEquals(List.of(), registration.others());
        }
    }
}
