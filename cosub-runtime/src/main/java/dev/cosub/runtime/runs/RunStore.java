package dev.cosub.runtime.runs;

import dev.cosub.runtime.io.AtomicFiles;
import dev.cosub.runtime.io.InvalidDataException;
import dev.cosub.runtime.io.Json;
import dev.cosub.runtime.train.RunConfig;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The output directory of cosub: {@code runs/<run-id>/} folders, {@code leaderboard.csv} and
 * the comparison tables.
 *
 * <p>A run is written into a hidden staging folder, {@code runs/.staging-<config hash>/}, and
 * renamed into {@code runs/} only when it is complete, so a run folder is never half-written and
 * an interrupted run leaves nothing that looks finished. The staging folder keeps the run's
 * resumable checkpoint, so the next attempt at the same configuration continues from it; a lock
 * file beside it keeps two processes from training the same configuration at once.
 */
public final class RunStore {

    private static final String STAGING_PREFIX = ".staging-";

    private final Path outputDirectory;

    public RunStore(Path outputDirectory) {
        this.outputDirectory = outputDirectory.toAbsolutePath().normalize();
    }

    public Path outputDirectory() {
        return outputDirectory;
    }

    public Path runsDirectory() {
        return outputDirectory.resolve("runs");
    }

    public Path leaderboard() {
        return outputDirectory.resolve("leaderboard.csv");
    }

    public Path comparisonCsv() {
        return outputDirectory.resolve("comparison.csv");
    }

    public Path comparisonMarkdown() {
        return outputDirectory.resolve("comparison.md");
    }

    /** The HTML report, one self-contained page. */
    public Path report() {
        return outputDirectory.resolve("report").resolve("index.html");
    }

    /**
     * Refuses, before anything trains, an output directory that cannot take a run: one that is
     * a file or cannot be written, or whose leaderboard is foreign or corrupt. Found after
     * training, any of these would lose the run.
     *
     * @throws InvalidDataException naming the directory or file and what is wrong
     */
    public void checkWritable() {
        if (Files.exists(outputDirectory) && !Files.isDirectory(outputDirectory)) {
            throw new InvalidDataException("outputDirectory " + outputDirectory
                    + " is a file: expected a directory for runs and the leaderboard");
        }
        try {
            Files.createDirectories(runsDirectory());
            Files.delete(Files.createTempFile(runsDirectory(), ".write-check-", ".tmp"));
        } catch (IOException e) {
            throw new InvalidDataException("outputDirectory " + outputDirectory
                    + " cannot be written (" + e + "): expected a writable directory", e);
        }
        Leaderboard.read(leaderboard());
    }

    /** The staging folder of the configuration with {@code configHash}. */
    public Path stagingFolder(String configHash) {
        return runsDirectory().resolve(STAGING_PREFIX + configHash);
    }

    /**
     * Takes the staging folder of a configuration for this process, creating it when needed.
     *
     * @throws TrainingInProgressException when another process, or another thread of this one,
     *     trains the same configuration into this directory
     */
    Staging stage(String configHash) throws IOException {
        Path folder = stagingFolder(configHash);
        Files.createDirectories(folder);
        Path lockFile = folder.resolveSibling(folder.getFileName() + ".lock");
        FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            channel.close();
            throw new TrainingInProgressException("configuration " + configHash
                    + " is being trained into " + outputDirectory + " by another build right now"
                    + " (its staging folder " + folder + " is locked); wait for it, or use"
                    + " another outputDirectory");
        }
        return new Staging(folder, channel, lockFile);
    }

    /**
     * A staging folder held by this process until closed. Closing it removes the folder and its
     * lock file unless they hold a checkpoint to resume from: a run that was published, failed
     * before its first checkpoint or diverged leaves nothing behind.
     *
     * @param folder the folder
     */
    record Staging(Path folder, FileChannel lock, Path lockFile) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            try (lock) {
                if (!Files.exists(folder.resolve(ResumeFile.NAME))) {
                    AtomicFiles.deleteTree(folder);
                    Files.deleteIfExists(lockFile);
                }
            }
        }
    }

    /**
     * A staging folder nobody is training into: left by an interrupted run. One whose
     * configuration is trained again is resumed from its checkpoint, if it has one.
     *
     * @param folder the folder
     * @param checkpoint what its checkpoint says, or empty when it has none that can be read
     */
    public record StaleStaging(Path folder, Optional<ResumeFile.Header> checkpoint) {

        /** One line on what it is. */
        /** The configuration whose checkpoint the folder holds, if it holds one. */
        public Optional<String> checkpointConfigHash() {
            return checkpoint.map(ResumeFile.Header::configHash);
        }

        public String describe() {
            return checkpoint.map(h -> String.format(Locale.ROOT,
                            "%s: %s-%s %s seed %d stopped after epoch %d of %d; training that"
                                    + " configuration again resumes it",
                            folder, h.config().architecture(), h.config().size(),
                            h.config().method(), h.config().seed(), h.progress().epochsDone(),
                            h.config().trainedEpochs()))
                    .orElse(folder + ": no checkpoint to resume from");
        }
    }

    /** The staging folders that no process is training into right now. */
    public List<StaleStaging> staleStaging() throws IOException {
        List<StaleStaging> stale = new ArrayList<>();
        for (Path folder : foldersUnderRuns(
                path -> path.getFileName().toString().startsWith(STAGING_PREFIX))) {
            if (!isLocked(folder)) {
                Path checkpoint = folder.resolve(ResumeFile.NAME);
                stale.add(new StaleStaging(folder, Files.isRegularFile(checkpoint)
                        ? ResumeFile.header(checkpoint) : Optional.empty()));
            }
        }
        stale.sort(Comparator.comparing(StaleStaging::folder));
        return stale;
    }

    private static boolean isLocked(Path folder) throws IOException {
        Path lockFile = folder.resolveSibling(folder.getFileName() + ".lock");
        if (!Files.exists(lockFile)) {
            return false;
        }
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                return true;
            }
            lock.release();
            return false;
        } catch (OverlappingFileLockException e) {
            return true;
        }
    }

    /** Deletes a stale staging folder and its lock file. */
    public void remove(StaleStaging stale) throws IOException {
        removeStagingFolder(stale.folder());
        Files.deleteIfExists(stale.folder().resolveSibling(stale.folder().getFileName()
                + ".lock"));
    }

    /**
     * Completes a staged run: writes its {@code run.json} and {@code metrics.csv} into the staging
     * folder, then renames the folder to the run id. When that id is taken (two identical runs in
     * the same second) a suffix makes it unique, and the record carries the final id.
     */
    RunFolder publish(Path staging, RunRecord record) throws IOException {
        for (int attempt = 1; ; attempt++) {
            String runId = attempt == 1 ? record.runId() : record.runId() + "-" + attempt;
            RunRecord named = record.withRunId(runId);
            Json.write(named, staging.resolve(RunFolder.RUN_JSON));
            MetricsCsv.write(named.result().epochs(), staging.resolve(RunFolder.METRICS_CSV));
            Path target = runsDirectory().resolve(runId);
            if (Files.exists(target)) {
                continue;
            }
            try {
                Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
                return new RunFolder(target, named);
            } catch (FileAlreadyExistsException e) {
                // Another process took the id between the check and the move: try the next one.
            }
        }
    }

    /** Every complete run, oldest first; failed runs are left out. */
    public List<RunFolder> list() throws IOException {
        return all().stream().filter(run -> run.record().isComplete()).toList();
    }

    /**
     * Every run folder, complete or failed, oldest first. A folder that cannot be read as a run
     * (a broken or missing configuration in {@code run.json}) is left out: see {@link #unreadable}.
     */
    public List<RunFolder> all() throws IOException {
        List<RunFolder> runs = new ArrayList<>();
        for (Path folder : runFolders()) {
            try {
                runs.add(RunFolder.open(folder));
            } catch (InvalidDataException e) {
                // Reported by unreadable(): one broken folder must not hide the others.
            }
        }
        runs.sort(Comparator.comparing((RunFolder r) -> r.record().result().startedAt())
                .thenComparing(r -> r.record().runId()));
        return runs;
    }

    /** Why each folder under {@code runs/} that looks like a run cannot be read as one. */
    public List<String> unreadable() throws IOException {
        List<String> problems = new ArrayList<>();
        for (Path folder : runFolders()) {
            try {
                RunFolder.open(folder);
            } catch (InvalidDataException e) {
                problems.add(e.getMessage());
            }
        }
        return problems;
    }

    private List<Path> runFolders() throws IOException {
        return foldersUnderRuns(path -> !path.getFileName().toString().startsWith(".")
                && Files.exists(path.resolve(RunFolder.RUN_JSON)));
    }

    /** The folders directly under {@code runs/} that {@code accept}; none when it is absent. */
    private List<Path> foldersUnderRuns(DirectoryStream.Filter<Path> accept) throws IOException {
        if (!Files.isDirectory(runsDirectory())) {
            return List.of();
        }
        List<Path> folders = new ArrayList<>();
        try (DirectoryStream<Path> found = Files.newDirectoryStream(runsDirectory(),
                path -> Files.isDirectory(path) && accept.accept(path))) {
            found.forEach(folders::add);
        }
        return folders;
    }

    /** The complete run whose configuration differs from {@code config} in the fewest fields. */
    public Optional<RunFolder> closest(RunConfig config) throws IOException {
        return list().stream().min(Comparator.comparingInt(run ->
                Provenance.differences(config, run.record().result().config()).size()));
    }

    /** The most recent finished run of the configuration with {@code configHash}. */
    public Optional<RunFolder> latest(String configHash) throws IOException {
        return list().stream()
                .filter(run -> run.record().configHash().equals(configHash))
                .reduce((older, newer) -> newer);
    }

    /** Removes the staging folder of a run that did not finish. */
    void removeStagingFolder(Path staging) throws IOException {
        AtomicFiles.deleteTree(staging);
    }
}
