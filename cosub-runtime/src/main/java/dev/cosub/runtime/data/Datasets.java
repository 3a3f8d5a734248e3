package dev.cosub.runtime.data;

import dev.cosub.runtime.model.ImageShape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** Loads the datasets users select by name. */
public final class Datasets {

    /** Where the Debian package {@code dataset-fashion-mnist} installs Fashion-MNIST. */
    public static final Path FASHION_MNIST_DIRECTORY = Path.of("/usr/share/datasets/fashion-mnist");

    /** The conventional place for MNIST's IDX files. */
    public static final Path MNIST_DIRECTORY = Path.of("/usr/share/datasets/mnist");

    public static final List<String> NAMES = List.of("fashion-mnist", "mnist", "synthetic");

    private static final int SYNTHETIC_TRAIN = 6000;
    private static final int SYNTHETIC_TEST = 1000;
    private static final long SYNTHETIC_PROTOTYPE_SEED = 20230;

    private Datasets() {}

    /** The default data directory of a dataset, or {@code null} when it needs none. */
    public static Path defaultDirectory(String name) {
        switch (canonical(name)) {
            case "fashion-mnist":
                return FASHION_MNIST_DIRECTORY;
            case "mnist":
                return MNIST_DIRECTORY;
            default:
                return null;
        }
    }

    /**
     * Loads a dataset.
     *
     * @param name {@code fashion-mnist}, {@code mnist} or {@code synthetic}
     * @param directory where its files are, or {@code null} for the default
     * @param trainSubset how many training images to keep (a seeded random subset), 0 for all
     * @param seed the seed of the subset
     * @throws IllegalArgumentException for an unknown name
     * @throws InvalidDataException when files are missing or malformed
     */
    public static ImageDataset load(String name, Path directory, int trainSubset, long seed) {
        String canonical = canonical(name);
        Path dir = directory != null ? directory : defaultDirectory(canonical);
        switch (canonical) {
            case "fashion-mnist":
                // Fashion-MNIST statistics of the 60,000 training images; clothes are mostly
                // left-right symmetric, so flips are safe.
                return idx(canonical, dir, trainSubset, seed, 0.2860f, 0.3530f, true);
            case "mnist":
                // Digits are not mirror-symmetric: no flips.
                return idx(canonical, dir, trainSubset, seed, 0.1307f, 0.3081f, false);
            case "synthetic":
                return synthetic(trainSubset, seed);
            default:
                throw new IllegalStateException(canonical);
        }
    }

    /**
     * Checks, without reading them, that a dataset's files are where they will be looked for, so
     * that a long job can refuse bad input before it starts.
     *
     * @throws IllegalArgumentException for an unknown name
     * @throws InvalidDataException naming the missing directory or file
     */
    public static void checkAvailable(String name, Path directory) {
        String canonical = canonical(name);
        if (canonical.equals("synthetic")) {
            return;
        }
        Path dir = directory != null ? directory : defaultDirectory(canonical);
        for (Path file : idxFiles(canonical, dir)) {
            if (!Files.isRegularFile(file)) {
                throw new InvalidDataException(canonical + ": " + file
                        + (Files.exists(file) ? " is not a regular file" : " does not exist")
                        + hint(canonical, dir));
            }
        }
    }

    /** Normalises a dataset name and checks that it is known. */
    public static String canonical(String name) {
        String normalized = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        if (!NAMES.contains(normalized)) {
            throw new IllegalArgumentException(
                    "unknown dataset '" + name + "': expected one of " + NAMES);
        }
        return normalized;
    }

    private static ImageDataset idx(
            String name,
            Path dir,
            int trainSubset,
            long seed,
            float mean,
            float std,
            boolean flip) {
        List<Path> files = idxFiles(name, dir);
        LabeledImages train = IdxFiles.read(files.get(0), files.get(1)).subset(trainSubset, seed);
        LabeledImages test = IdxFiles.read(files.get(2), files.get(3));
        return new ImageDataset(
                name,
                train,
                test,
                10,
                new Normalization(new float[] {mean}, new float[] {std}),
                new Augmentation(2, flip),
                files);
    }

    /** Training images and labels, then test images and labels, of an IDX dataset. */
    private static List<Path> idxFiles(String name, Path dir) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new InvalidDataException(name + ": data directory " + dir
                    + " is a file: expected the directory of the four IDX files");
        }
        if (!Files.isDirectory(dir)) {
            throw new InvalidDataException(name + ": data directory " + dir + " does not exist"
                    + hint(name, dir));
        }
        return List.of(idxFile(dir, "train-images-idx3-ubyte"),
                idxFile(dir, "train-labels-idx1-ubyte"),
                idxFile(dir, "t10k-images-idx3-ubyte"),
                idxFile(dir, "t10k-labels-idx1-ubyte"));
    }

    /** What to do about missing files: the Debian package only helps its own directory. */
    private static String hint(String name, Path dir) {
        if (name.equals("fashion-mnist") && dir.equals(FASHION_MNIST_DIRECTORY)) {
            return "; install the Debian package dataset-fashion-mnist, or set dataDirectory";
        }
        return "; expected the four IDX files of " + name + " (train-images-idx3-ubyte,"
                + " train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte,"
                + " each gzipped or not) in " + dir;
    }

    /** The gzipped file when present, else the raw one (whose absence the reader reports). */
    private static Path idxFile(Path dir, String baseName) {
        Path gzipped = dir.resolve(baseName + ".gz");
        return Files.exists(gzipped) ? gzipped : dir.resolve(baseName);
    }

    private static ImageDataset synthetic(int trainSubset, long seed) {
        ImageShape shape = new ImageShape(1, 28, 28);
        int trainCount = trainSubset > 0 ? trainSubset : SYNTHETIC_TRAIN;
        return new ImageDataset(
                "synthetic",
                SyntheticImages.generate(trainCount, shape, 10, SYNTHETIC_PROTOTYPE_SEED, seed),
                SyntheticImages.generate(SYNTHETIC_TEST, shape, 10, SYNTHETIC_PROTOTYPE_SEED, -1L),
                10,
                new Normalization(new float[] {0.5f}, new float[] {0.25f}),
                new Augmentation(2, false),
                List.of());
    }
}
