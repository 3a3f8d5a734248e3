package dev.cosub.runtime.runs;

import dev.cosub.runtime.report.Json;
import dev.cosub.runtime.report.MetricsCsv;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The output directory of cosub: {@code runs/<run-id>/} folders, {@code leaderboard.csv} and
 * the comparison tables.
 *
 * <p>A run is written into a hidden staging folder and renamed into {@code runs/} only when it is
 * complete, so a run folder is never half-written and an interrupted run leaves nothing that looks
 * finished.
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

    /** A new, empty staging folder for a run in progress. */
    Path newStagingFolder() throws IOException {
        Files.createDirectories(runsDirectory());
        return Files.createTempDirectory(runsDirectory(), STAGING_PREFIX);
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

    /** Every run folder, complete or failed, oldest first. */
    public List<RunFolder> all() throws IOException {
        if (!Files.isDirectory(runsDirectory())) {
            return List.of();
        }
        List<RunFolder> runs = new ArrayList<>();
        try (DirectoryStream<Path> folders = Files.newDirectoryStream(runsDirectory(),
                path -> Files.isDirectory(path)
                        && !path.getFileName().toString().startsWith(".")
                        && Files.exists(path.resolve(RunFolder.RUN_JSON)))) {
            folders.forEach(folder -> runs.add(RunFolder.open(folder)));
        }
        runs.sort(Comparator.comparing((RunFolder r) -> r.record().result().startedAt())
                .thenComparing(r -> r.record().runId()));
        return runs;
    }

    /** The most recent finished run of the configuration with {@code configHash}. */
    public Optional<RunFolder> latest(String configHash) throws IOException {
        return list().stream()
                .filter(run -> run.record().configHash().equals(configHash))
                .reduce((older, newer) -> newer);
    }

    /** Removes the staging folder of a run that did not finish. */
    void removeStagingFolder(Path staging) throws IOException {
        if (!Files.exists(staging)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(staging)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
