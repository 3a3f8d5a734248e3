package dev.cosub.runtime.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The cosub trainings running on this machine, which find each other through one small file
 * each in a folder they share, so that each can take its share of the processors instead of all
 * of them.
 *
 * <p>A file is named after its process and the instant that process started: a file left by a
 * process that was killed is recognised (no such process, or another one under a reused id) and
 * removed by the next reader. Nothing here may fail a training: a folder that cannot be written
 * makes a registry that sees no one.
 */
public final class RunningTrainings {

    /** The system property that moves the folder, e.g. for tests. */
    public static final String DIRECTORY_PROPERTY = "cosub.running.directory";

    private static final String SUFFIX = ".training";
    private static final AtomicLong SEQUENCE = new AtomicLong();

    private final Path directory;

    public RunningTrainings(Path directory) {
        this.directory = directory;
    }

    /**
     * The registry of this machine's user: {@value #DIRECTORY_PROPERTY} when set, else
     * {@code cosub/running} in the user's cache folder ({@code $XDG_CACHE_HOME} or
     * {@code ~/.cache}).
     */
    public static RunningTrainings ofThisUser() {
        String configured = System.getProperty(DIRECTORY_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return new RunningTrainings(Path.of(configured));
        }
        String cache = System.getenv("XDG_CACHE_HOME");
        Path base = cache != null && !cache.isBlank() ? Path.of(cache)
                : Path.of(System.getProperty("user.home"), ".cache");
        return new RunningTrainings(base.resolve("cosub").resolve("running"));
    }

    /** One training's entry; closing it removes the entry. */
    public final class Registration implements AutoCloseable {

        private final Path file;

        private Registration(Path file) {
            this.file = file;
        }

        /** The trainings running beside this one, with their descriptions. */
        public List<String> others() {
            return live().stream()
                    .filter(entry -> !entry.equals(file))
                    .map(RunningTrainings::readDescription)
                    .flatMap(Optional::stream)
                    .toList();
        }

        @Override
        public void close() {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    // A stale entry is removed by the next reader.
                }
            }
        }
    }

    /**
     * Adds this process's training, described by {@code description} (e.g. its architecture,
     * method and seed), until the registration is closed.
     */
    public Registration register(String description) {
        ProcessHandle self = ProcessHandle.current();
        String name = self.pid() + "-" + startMillis(self).orElse(0L) + "-"
                + SEQUENCE.incrementAndGet() + SUFFIX;
        try {
            Files.createDirectories(directory);
            Path file = directory.resolve(name);
            Files.writeString(file, description, StandardCharsets.UTF_8);
            return new Registration(file);
        } catch (IOException | UncheckedIOException e) {
            return new Registration(null);
        }
    }

    /** How many trainings are running, this process's included. */
    public int count() {
        return live().size();
    }

    /** The files of live trainings; those of processes that ended are removed. */
    private List<Path> live() {
        List<Path> entries = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*" + SUFFIX)) {
            for (Path file : files) {
                if (isAlive(file.getFileName().toString())) {
                    entries.add(file);
                } else {
                    Files.deleteIfExists(file);
                }
            }
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException | UncheckedIOException e) {
            return entries;
        }
        return entries;
    }

    private static Optional<String> readDescription(Path file) {
        try {
            return Optional.of(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            // Removed since it was listed: that training just ended.
            return Optional.empty();
        }
    }

    /** Whether the process a file is named after still runs, and is the same process. */
    static boolean isAlive(String fileName) {
        String[] parts = fileName.substring(0, fileName.length() - SUFFIX.length()).split("-");
        if (parts.length != 3) {
            return false;
        }
        try {
            long pid = Long.parseLong(parts[0]);
            long started = Long.parseLong(parts[1]);
            return ProcessHandle.of(pid)
                    .filter(ProcessHandle::isAlive)
                    .map(process -> startMillis(process).map(s -> s == started).orElse(true))
                    .orElse(false);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static Optional<Long> startMillis(ProcessHandle process) {
        return process.info().startInstant().map(Instant::toEpochMilli);
    }
}
