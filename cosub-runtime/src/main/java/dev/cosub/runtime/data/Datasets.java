package dev.cosub.runtime.data;

import dev.cosub.runtime.io.InvalidDataException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/** The registry of datasets, by the names users type, and where each one's files are. */
public final class Datasets {

    /** Where the Debian package {@code dataset-fashion-mnist} installs Fashion-MNIST. */
    public static final Path FASHION_MNIST_DIRECTORY = IdxDataset.FASHION_MNIST_DIRECTORY;

    /** The conventional place for MNIST's IDX files. */
    public static final Path MNIST_DIRECTORY = IdxDataset.MNIST_DIRECTORY;

    private static final Map<String, DatasetFamily> BY_NAME = new LinkedHashMap<>();

    static {
        register(IdxDataset.FASHION_MNIST);
        register(IdxDataset.MNIST);
        register(CifarDataset.CIFAR10);
        register(CifarDataset.CIFAR100);
        register(FolderDataset.INSTANCE);
        register(SyntheticDataset.INSTANCE);
    }

    /** The names users select datasets by. */
    public static final List<String> NAMES = List.copyOf(BY_NAME.keySet());

    private Datasets() {}

    private static void register(DatasetFamily family) {
        BY_NAME.put(family.name(), family);
    }

    /** The default data directory of a dataset, or {@code null} when it has none. */
    public static Path defaultDirectory(String name) {
        return family(name).defaultDirectory();
    }

    /**
     * Loads a dataset, downloading its archive first when {@code spec} gives an address that is
     * not in the cache yet.
     *
     * @throws IllegalArgumentException for an unknown name or an invalid setting
     * @throws InvalidDataException when files are missing or malformed
     */
    public static ImageDataset load(DataSpec spec, Consumer<String> log) {
        DatasetFamily family = family(spec.dataset());
        return family.load(spec, directory(family, spec, log), log);
    }

    /** A named dataset at its own size, quietly: for tests and benchmarks. */
    public static ImageDataset load(String name, Path directory, int trainSubset, long seed) {
        return load(new DataSpec(name, directory, null, null, null, 0, null, trainSubset, seed,
                0), message -> { });
    }

    /**
     * Checks, without reading them, that a dataset's files are where they will be looked for, so
     * that a long job can refuse bad input before it starts. An archive to download is fetched
     * here, once.
     *
     * @throws IllegalArgumentException for an unknown name or an invalid setting
     * @throws InvalidDataException naming the missing directory or file
     */
    public static void checkAvailable(DataSpec spec, Consumer<String> log) {
        DatasetFamily family = family(spec.dataset());
        Normalization.parse(spec.normalization());
        if (!family.needsFiles()) {
            return;
        }
        Path directory = directory(family, spec, log);
        for (Path file : family.requiredFiles(directory)) {
            if (!Files.exists(file)) {
                throw new InvalidDataException(family.name() + ": " + file + " does not exist"
                        + family.hint(directory));
            }
        }
    }

    /** Normalises a dataset name and checks that it is known. */
    public static String canonical(String name) {
        return family(name).name();
    }

    /**
     * The dataset called {@code name}.
     *
     * @throws IllegalArgumentException naming the known datasets when there is none
     */
    private static DatasetFamily family(String name) {
        DatasetFamily family =
                name == null ? null : BY_NAME.get(name.trim().toLowerCase(Locale.ROOT));
        if (family == null) {
            throw new IllegalArgumentException(
                    "unknown dataset '" + name + "': expected one of " + NAMES);
        }
        return family;
    }

    /** Where a dataset's files are: downloaded, given, or its default. */
    private static Path directory(DatasetFamily family, DataSpec spec, Consumer<String> log) {
        if (spec.url() != null && !spec.url().isBlank()) {
            if (spec.directory() != null) {
                throw new IllegalArgumentException("dataDirectory = " + spec.directory()
                        + " and dataUrl = " + spec.url() + " are both set: expected one of them"
                        + " (a download is unpacked into dataCache)");
            }
            return DataDownload.fetch(spec.url(), spec.sha256(),
                    spec.cache() != null ? spec.cache() : DataDownload.defaultCache(),
                    spec.download(), log);
        }
        if (spec.sha256() != null && !spec.sha256().isBlank()) {
            throw new IllegalArgumentException("dataSha256 is set without dataUrl: expected"
                    + " both, or neither");
        }
        Path directory = spec.directory() != null ? spec.directory() : family.defaultDirectory();
        if (!family.needsFiles()) {
            return directory;
        }
        if (directory == null) {
            throw new InvalidDataException(family.name() + ": no data directory: set"
                    + " dataDirectory" + family.hint(null)
                    + ", or dataUrl and dataSha256 to download it");
        }
        if (Files.exists(directory) && !Files.isDirectory(directory)) {
            throw new InvalidDataException(family.name() + ": data directory " + directory
                    + " is a file: expected " + family.directoryDescription());
        }
        if (!Files.isDirectory(directory)) {
            throw new InvalidDataException(family.name() + ": data directory " + directory
                    + " does not exist" + family.hint(directory));
        }
        return directory;
    }
}
