package dev.cosub.runtime.data;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * A kind of dataset users select by name: where its files are by default, which files it needs,
 * what to tell a user whose files are missing, and how to load it. {@link Datasets} is the
 * registry.
 */
interface DatasetFamily {

    /** The name users type, e.g. {@code fashion-mnist}. */
    String name();

    /** Where its files are when no directory is given, or {@code null} when nowhere. */
    default Path defaultDirectory() {
        return null;
    }

    /** Whether it reads files at all (generated data does not). */
    default boolean needsFiles() {
        return true;
    }

    /** What its data directory should be, for a user who gave a file instead. */
    String directoryDescription();

    /** The files (or folders) that must exist in {@code directory} before anything is read. */
    List<Path> requiredFiles(Path directory);

    /**
     * What to do about missing files, starting with "; ", or empty.
     *
     * @param directory the directory looked in, or {@code null} when there was none
     */
    String hint(Path directory);

    /**
     * Reads the dataset from {@code directory} ({@code null} for generated data).
     *
     * @throws dev.cosub.runtime.io.InvalidDataException when files are missing or malformed
     */
    ImageDataset load(DataSpec spec, Path directory, Consumer<String> log);
}
