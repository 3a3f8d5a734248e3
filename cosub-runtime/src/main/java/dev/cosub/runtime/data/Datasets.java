package dev.cosub.runtime.data;

import dev.cosub.runtime.io.InvalidDataException;
import dev.cosub.runtime.model.ImageShape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** Loads the datasets users select by name. */
public final class Datasets {

    /** Where the Debian package {@code dataset-fashion-mnist} installs Fashion-MNIST. */
    public static final Path FASHION_MNIST_DIRECTORY = Path.of("/usr/share/datasets/fashion-mnist");

    /** The conventional place for MNIST's IDX files. */
    public static final Path MNIST_DIRECTORY = Path.of("/usr/share/datasets/mnist");

    public static final List<String> NAMES =
            List.of("fashion-mnist", "mnist", "cifar10", "cifar100", "folder", "synthetic");

    /** How many training images of a folder its normalisation is measured on. */
    static final int NORMALIZATION_SAMPLE = 1000;

    private static final int SYNTHETIC_TRAIN = 6000;
    private static final int SYNTHETIC_TEST = 1000;
    private static final long SYNTHETIC_PROTOTYPE_SEED = 20230;

    private Datasets() {}

    /** The default data directory of a dataset, or {@code null} when it has none. */
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
     * Loads a dataset, downloading its archive first when {@code spec} gives an address that is
     * not in the cache yet.
     *
     * @throws IllegalArgumentException for an unknown name or an invalid setting
     * @throws InvalidDataException when files are missing or malformed
     */
    public static ImageDataset load(DataSpec spec, Consumer<String> log) {
        String name = canonical(spec.dataset());
        Path dir = directory(spec, log);
        return switch (name) {
            // Fashion-MNIST statistics of the 60,000 training images; clothes are mostly
            // left-right symmetric, so flips are safe.
            case "fashion-mnist" -> idx(spec, name, dir, 0.2860f, 0.3530f, true);
            // Digits are not mirror-symmetric: no flips.
            case "mnist" -> idx(spec, name, dir, 0.1307f, 0.3081f, false);
            case "cifar10" -> cifar(spec, CifarFiles.Kind.CIFAR10, dir,
                    new float[] {0.4914f, 0.4822f, 0.4465f}, new float[] {0.2470f, 0.2435f, 0.2616f});
            case "cifar100" -> cifar(spec, CifarFiles.Kind.CIFAR100, dir,
                    new float[] {0.5071f, 0.4865f, 0.4409f}, new float[] {0.2673f, 0.2564f, 0.2762f});
            case "folder" -> folder(spec, dir, log);
            case "synthetic" -> synthetic(spec);
            default -> throw new IllegalStateException(name);
        };
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
        String name = canonical(spec.dataset());
        parseNormalization(spec.normalization());
        if (name.equals("synthetic")) {
            return;
        }
        Path dir = directory(spec, log);
        List<Path> files = switch (name) {
            case "cifar10" -> CifarFiles.Kind.CIFAR10.files(dir);
            case "cifar100" -> CifarFiles.Kind.CIFAR100.files(dir);
            case "folder" -> List.of(dir.resolve("train"));
            default -> idxFiles(dir);
        };
        for (Path file : files) {
            if (!Files.exists(file)) {
                throw new InvalidDataException(name + ": " + file + " does not exist"
                        + hint(name, dir));
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

    /**
     * Parses a {@code normalization} setting: {@code null} or blank for the dataset's own,
     * {@code imagenet}, or per-channel means and deviations {@code m1,m2,m3/s1,s2,s3}.
     *
     * @return the normalisation, or {@code null} for the dataset's own
     * @throws IllegalArgumentException naming the setting and what is expected
     */
    public static Normalization parseNormalization(String setting) {
        if (setting == null || setting.isBlank()) {
            return null;
        }
        String value = setting.trim().toLowerCase(Locale.ROOT);
        if (value.equals("imagenet")) {
            return new Normalization(new float[] {0.485f, 0.456f, 0.406f},
                    new float[] {0.229f, 0.224f, 0.225f});
        }
        String[] parts = value.split("/");
        try {
            if (parts.length != 2) {
                throw new IllegalArgumentException("no '/' between means and deviations");
            }
            return new Normalization(floats(parts[0]), floats(parts[1]));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("normalization = " + setting + " is invalid ("
                    + e.getMessage() + "): expected empty (the dataset's own), imagenet, or"
                    + " per-channel means and deviations in [0, 1] units, e.g."
                    + " 0.49,0.48,0.45/0.25,0.24,0.26", e);
        }
    }

    private static float[] floats(String list) {
        String[] items = list.split(",");
        float[] values = new float[items.length];
        for (int i = 0; i < items.length; i++) {
            values[i] = Float.parseFloat(items[i].trim());
        }
        return values;
    }

    /** Where a dataset's files are: downloaded, given, or its default. */
    private static Path directory(DataSpec spec, Consumer<String> log) {
        String name = canonical(spec.dataset());
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
        Path dir = spec.directory() != null ? spec.directory() : defaultDirectory(name);
        if (dir == null && !name.equals("synthetic")) {
            throw new InvalidDataException(name + ": no data directory: set dataDirectory"
                    + hint(name, null) + ", or dataUrl and dataSha256 to download it");
        }
        if (dir != null && Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new InvalidDataException(name + ": data directory " + dir + " is a file:"
                    + " expected " + switch (name) {
                        case "cifar10", "cifar100" -> "the directory of its .bin files";
                        case "folder" -> "a directory holding train/ and val/";
                        default -> "the directory of the four IDX files";
                    });
        }
        if (dir != null && !Files.isDirectory(dir)) {
            throw new InvalidDataException(name + ": data directory " + dir + " does not exist"
                    + hint(name, dir));
        }
        return dir;
    }

    private static ImageDataset idx(DataSpec spec, String name, Path dir, float mean, float std,
            boolean flip) {
        List<Path> files = idxFiles(dir);
        LabeledImages train = IdxFiles.read(files.get(0), files.get(1))
                .subset(spec.trainSubset(), spec.seed());
        LabeledImages test = IdxFiles.read(files.get(2), files.get(3));
        return inMemory(spec, name, train, test, numbered(10),
                new Normalization(new float[] {mean}, new float[] {std}), 2, flip,
                files.stream().map(DataPart::file).toList());
    }

    private static ImageDataset cifar(DataSpec spec, CifarFiles.Kind kind, Path dir,
            float[] mean, float[] std) {
        LabeledImages train = CifarFiles.read(kind, dir, false)
                .subset(spec.trainSubset(), spec.seed());
        LabeledImages test = CifarFiles.read(kind, dir, true);
        return inMemory(spec, kind.name().toLowerCase(Locale.ROOT), train, test,
                CifarFiles.classNames(kind, dir), new Normalization(mean, std), 4, true,
                kind.files(dir).stream().map(DataPart::file).toList());
    }

    private static ImageDataset synthetic(DataSpec spec) {
        ImageShape shape = new ImageShape(1, 28, 28);
        int trainCount = spec.trainSubset() > 0 ? spec.trainSubset() : SYNTHETIC_TRAIN;
        return inMemory(spec, "synthetic",
                SyntheticImages.generate(trainCount, shape, 10, SYNTHETIC_PROTOTYPE_SEED,
                        spec.seed()),
                SyntheticImages.generate(SYNTHETIC_TEST, shape, 10, SYNTHETIC_PROTOTYPE_SEED, -1L),
                numbered(10), new Normalization(new float[] {0.5f}, new float[] {0.25f}), 2,
                false, List.of());
    }

    /**
     * A dataset held in memory, at its own size unless {@code imageSize} asks for another, with
     * its usual padded crop scaled to that size.
     */
    private static ImageDataset inMemory(DataSpec spec, String name, LabeledImages train,
            LabeledImages test, List<String> classes, Normalization own, int padding,
            boolean flip, List<DataPart> parts) {
        int nativeSize = train.shape().height();
        int size = spec.imageSize() > 0 ? spec.imageSize() : nativeSize;
        int scaledPadding = Math.max(1, Math.round((float) padding * size / nativeSize));
        ImageShape shape = new ImageShape(train.shape().channels(), size, size);
        return new ImageDataset(name, train, test, shape, classes,
                normalization(spec, () -> own, shape), new Augmentation(scaledPadding, flip),
                parts);
    }

    /**
     * An image folder: streamed from disk. Small images (under 64 pixels) get a padded crop
     * shifted by up to a fourteenth of their side, 2 pixels at 28 and 32 as this project's
     * Fashion-MNIST crop (an eighth, 3 pixels at 28, measured 2.3 and 2.6 points lower on the
     * same images after 3 epochs); larger ones a random-resized crop. Both flip.
     */
    private static ImageDataset folder(DataSpec spec, Path dir, Consumer<String> log) {
        ImageFolders.Scan scan = ImageFolders.scan(dir, spec.threadsOrDefault(), log);
        int size = spec.imageSize();
        if (size == 0) {
            if (scan.commonSize() == 0) {
                throw new IllegalArgumentException("imageSize = 0 (the images' own size) cannot"
                        + " be used with " + dir + ", whose images have different sizes:"
                        + " expected imageSize, e.g. 224");
            }
            size = scan.commonSize();
        }
        ImageFolder train = scan.train();
        int[] subset = LabeledImages.subsetIndices(train.count(), spec.trainSubset(),
                spec.seed());
        if (subset != null) {
            train = train.select(subset);
        }
        ImageShape shape = new ImageShape(scan.channels(), size, size);
        Augmentation augmentation = size < 64
                ? new Augmentation(Math.max(1, Math.round(size / 14f)), true)
                : Augmentation.randomResized(true);
        Normalization normalization = normalization(spec, () -> {
            Normalization own = measured(scan.train(), shape, spec.threadsOrDefault());
            log.accept("folder: normalization measured on " + Math.min(NORMALIZATION_SAMPLE,
                    scan.train().count()) + " training images: " + own);
            return own;
        }, shape);
        return new ImageDataset("folder", train, scan.test(), shape, scan.classes(),
                normalization, augmentation, scan.parts());
    }

    /**
     * The per-channel mean and deviation of up to {@link #NORMALIZATION_SAMPLE} training images
     * (a fixed sample, the same for every seed), centre-cropped to the network's size.
     */
    static Normalization measured(ImageFolder train, ImageShape shape, int threads) {
        int[] order = Batches.shuffled(train.count(), new Random(0));
        ImageFolder sample = train.select(
                Arrays.copyOf(order, Math.min(NORMALIZATION_SAMPLE, order.length)));
        float[] zero = new float[shape.channels()];
        float[] one = new float[shape.channels()];
        Arrays.fill(one, 1f);
        ImagePipeline raw = new ImagePipeline(shape, new Normalization(zero, one),
                Augmentation.NONE);
        double[] sum = new double[shape.channels()];
        double[] squares = new double[shape.channels()];
        int plane = shape.height() * shape.width();
        long values = 0;
        try (Batches batches = Batches.evaluation(sample, raw, 64, threads)) {
            while (batches.hasNext()) {
                Batch batch = batches.next();
                for (int i = 0; i < batch.size() * shape.size(); i++) {
                    int channel = (i % shape.size()) / plane;
                    sum[channel] += batch.pixels()[i];
                    squares[channel] += (double) batch.pixels()[i] * batch.pixels()[i];
                }
                values += (long) batch.size() * plane;
            }
        }
        float[] mean = new float[shape.channels()];
        float[] std = new float[shape.channels()];
        for (int c = 0; c < mean.length; c++) {
            double m = sum[c] / values;
            mean[c] = (float) m;
            // A blank sample would divide by zero: fall back to no scaling.
            double deviation = Math.sqrt(Math.max(squares[c] / values - m * m, 0));
            std[c] = deviation > 1e-6 ? (float) deviation : 1f;
        }
        return new Normalization(mean, std);
    }

    /**
     * The setting's normalisation, else the data's own (computed only then); it must match the
     * channels.
     */
    private static Normalization normalization(DataSpec spec, Supplier<Normalization> own,
            ImageShape shape) {
        Normalization given = parseNormalization(spec.normalization());
        Normalization chosen = given != null ? given : own.get();
        if (chosen.mean().length != shape.channels()) {
            throw new IllegalArgumentException("normalization = " + spec.normalization()
                    + " has " + chosen.mean().length + " channels but the images have "
                    + shape.channels() + ": expected one mean and one deviation per channel");
        }
        return chosen;
    }

    private static List<String> numbered(int classes) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < classes; i++) {
            names.add(Integer.toString(i));
        }
        return names;
    }

    /** Training images and labels, then test images and labels, of an IDX dataset. */
    private static List<Path> idxFiles(Path dir) {
        return List.of(idxFile(dir, "train-images-idx3-ubyte"),
                idxFile(dir, "train-labels-idx1-ubyte"),
                idxFile(dir, "t10k-images-idx3-ubyte"),
                idxFile(dir, "t10k-labels-idx1-ubyte"));
    }

    /** What to do about missing files: the Debian package only helps its own directory. */
    private static String hint(String name, Path dir) {
        switch (name) {
            case "fashion-mnist":
                if (FASHION_MNIST_DIRECTORY.equals(dir)) {
                    return "; install the Debian package dataset-fashion-mnist, or set"
                            + " dataDirectory";
                }
                return idxHint(name, dir);
            case "mnist":
                return idxHint(name, dir);
            case "cifar10":
                return "; expected CIFAR-10's binary files (data_batch_1.bin to data_batch_5.bin,"
                        + " test_batch.bin) in " + (dir == null ? "it" : dir)
                        + " or in its folder cifar-10-batches-bin";
            case "cifar100":
                return "; expected CIFAR-100's binary files (train.bin, test.bin) in "
                        + (dir == null ? "it" : dir) + " or in its folder cifar-100-binary";
            case "folder":
                return "; expected train/<class>/*.png|jpg|jpeg and val/<class>/... (or test/)"
                        + (dir == null ? "" : " in " + dir);
            default:
                return "";
        }
    }

    private static String idxHint(String name, Path dir) {
        return "; expected the four IDX files of " + name + " (train-images-idx3-ubyte,"
                + " train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte,"
                + " each gzipped or not) in " + (dir == null ? "it" : dir);
    }

    /** The gzipped file when present, else the raw one (whose absence the reader reports). */
    private static Path idxFile(Path dir, String baseName) {
        Path gzipped = dir.resolve(baseName + ".gz");
        return Files.exists(gzipped) ? gzipped : dir.resolve(baseName);
    }
}
