package dev.cosub.runtime.runs;

import dev.cosub.runtime.io.CsvFiles;
import dev.cosub.runtime.io.InvalidDataException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A CSV file of finished runs, one row each, with the header {@link LeaderboardRow#HEADER}.
 *
 * <p>Every change rewrites the file into a temporary file and renames it over the old one, under
 * a lock on a sibling {@code .<name>.lock} file: a crash leaves the old or the new file, never a
 * half row, and two builds appending at once both keep their rows.
 */
public final class Leaderboard {

    /** Serialises the threads of one JVM; the file lock serialises processes. */
    private static final Object IN_PROCESS_LOCK = new Object();

    private static final String WHAT = "a cosub leaderboard";

    private Leaderboard() {}

    /** The rows of {@code file}, or none when it does not exist or is empty (a new one). */
    public static List<LeaderboardRow> read(Path file) {
        try {
            if (!Files.exists(file) || Files.size(file) == 0) {
                return List.of();
            }
        } catch (IOException e) {
            throw new InvalidDataException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return CsvFiles.read(file, LeaderboardRow.HEADER,
                        List.of(LeaderboardRow.HEADER_BEFORE_CODE_VERSION,
                        LeaderboardRow.HEADER_BEFORE_FIT,
                        LeaderboardRow.HEADER_BEFORE_INIT_FROM), WHAT).stream()
                .map(record -> LeaderboardRow.parse(record, file))
                .toList();
    }

    /** Adds {@code row} at the end of {@code file}, creating it with its header if needed. */
    public static void append(Path file, LeaderboardRow row) throws IOException {
        update(file, rows -> rows.add(row));
    }

    /**
     * Adds to {@code target} the rows of {@code sources} whose run id it does not have yet.
     *
     * @return how many rows were added and how many were already there
     */
    public static MergeResult merge(Path target, List<Path> sources) throws IOException {
        List<List<LeaderboardRow>> incoming = new ArrayList<>();
        for (Path source : sources) {
            if (!Files.isRegularFile(source)) {
                throw new InvalidDataException(
                        "leaderboard " + source + " does not exist");
            }
            incoming.add(read(source));
        }
        return update(target, rows -> {
            Set<String> ids = new HashSet<>();
            rows.forEach(row -> ids.add(row.runId()));
            int added = 0;
            int duplicates = 0;
            for (List<LeaderboardRow> source : incoming) {
                for (LeaderboardRow row : source) {
                    if (ids.add(row.runId())) {
                        rows.add(row);
                        added++;
                    } else {
                        duplicates++;
                    }
                }
            }
            return new MergeResult(added, duplicates);
        });
    }

    /**
     * Brings {@code file} in line with the records of run folders: adds the row of a run it
     * lacks (its process died between publishing the folder and appending the row) and rewrites
     * a row that differs from its record's (written by an older version that kept fewer
     * columns). The record in {@code run.json} is the source of truth of a run's row.
     *
     * @param fromRecords the rows of the run folders at hand
     * @return how many rows were added and how many rewritten
     */
    public static SyncResult sync(Path file, List<LeaderboardRow> fromRecords)
            throws IOException {
        Set<List<String>> current = new HashSet<>();
        read(file).forEach(row -> current.add(row.values()));
        if (fromRecords.stream().allMatch(row -> current.contains(row.values()))) {
            return new SyncResult(0, 0);
        }
        return update(file, rows -> {
            Map<String, Integer> index = new HashMap<>();
            for (int i = 0; i < rows.size(); i++) {
                index.put(rows.get(i).runId(), i);
            }
            int added = 0;
            int rewritten = 0;
            for (LeaderboardRow row : fromRecords) {
                Integer at = index.get(row.runId());
                if (at == null) {
                    index.put(row.runId(), rows.size());
                    rows.add(row);
                    added++;
                } else if (!rows.get(at).values().equals(row.values())) {
                    rows.set(at, row);
                    rewritten++;
                }
            }
            return new SyncResult(added, rewritten);
        });
    }

    /**
     * The outcome of a sync.
     *
     * @param added rows of runs the leaderboard lacked
     * @param rewritten rows that differed from their run's record
     */
    public record SyncResult(int added, int rewritten) {}

    /**
     * The outcome of a merge.
     *
     * @param added rows that were new
     * @param duplicates rows whose run id was already present, left out
     */
    public record MergeResult(int added, int duplicates) {}

    private static <T> T update(Path file, Function<List<LeaderboardRow>, T> change)
            throws IOException {
        Path absolute = file.toAbsolutePath();
        Files.createDirectories(absolute.getParent());
        Path lockFile = absolute.resolveSibling("." + absolute.getFileName() + ".lock");
        synchronized (IN_PROCESS_LOCK) {
            try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE,
                            StandardOpenOption.WRITE);
                    FileLock lock = channel.lock()) {
                List<LeaderboardRow> rows = new ArrayList<>(read(absolute));
                T result = change.apply(rows);
                CsvFiles.write(absolute, LeaderboardRow.HEADER,
                        rows.stream().map(LeaderboardRow::values).toList());
                return result;
            }
        }
    }
}
