package dev.cosub.runtime.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/** A dataset in the four IDX files of MNIST's format: Fashion-MNIST and MNIST. */
final class IdxDataset implements DatasetFamily {

    /** Where the Debian package {@code dataset-fashion-mnist} installs Fashion-MNIST. */
    static final Path FASHION_MNIST_DIRECTORY = Path.of("/usr/share/datasets/fashion-mnist");
    /** The conventional place for MNIST's IDX files. */
    static final Path MNIST_DIRECTORY = Path.of("/usr/share/datasets/mnist");

    /**
     * Fashion-MNIST, with the statistics of its 60,000 training images; clothes are mostly
     * left-right symmetric, so flips are safe.
     */
    static final IdxDataset FASHION_MNIST = new IdxDataset("fashion-mnist",
            FASHION_MNIST_DIRECTORY, 0.2860f, 0.3530f, true, "dataset-fashion-mnist",
            List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt",
                    "Sneaker", "Bag", "Ankle boot"));
    /** MNIST digits, which are not mirror-symmetric: no flips. */
    static final IdxDataset MNIST = new IdxDataset("mnist", MNIST_DIRECTORY, 0.1307f, 0.3081f,
            false, null, InMemoryDataset.numbered(10));

    private final String name;
    private final Path defaultDirectory;
    private final float mean;
    private final float std;
    private final boolean flip;
    private final String debianPackage;
    private final List<String> classNames;

    /** @param classNames the names of the labels 0 to 9, as the dataset publishes them */
    private IdxDataset(String name, Path defaultDirectory, float mean, float std, boolean flip,
            String debianPackage, List<String> classNames) {
        this.name = name;
        this.defaultDirectory = defaultDirectory;
        this.mean = mean;
        this.std = std;
        this.flip = flip;
        this.debianPackage = debianPackage;
        this.classNames = classNames;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Path defaultDirectory() {
        return defaultDirectory;
    }

    @Override
    public String directoryDescription() {
        return "the directory of the four IDX files";
    }

    /** Training images and labels, then test images and labels. */
    @Override
    public List<Path> requiredFiles(Path directory) {
        return List.of(file(directory, "train-images-idx3-ubyte"),
                file(directory, "train-labels-idx1-ubyte"),
                file(directory, "t10k-images-idx3-ubyte"),
                file(directory, "t10k-labels-idx1-ubyte"));
    }

    /** The Debian package only helps its own directory. */
    @Override
    public String hint(Path directory) {
        if (debianPackage != null && defaultDirectory.equals(directory)) {
            return "; install the Debian package " + debianPackage + ", or set dataDirectory";
        }
        return "; expected the four IDX files of " + name + " (train-images-idx3-ubyte,"
                + " train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte,"
                + " each gzipped or not) in " + (directory == null ? "it" : directory);
    }

    @Override
    public ImageDataset load(DataSpec spec, Path directory, Consumer<String> log) {
        List<Path> files = requiredFiles(directory);
        LabeledImages train = IdxFiles.read(files.get(0), files.get(1))
                .subset(spec.trainSubset(), spec.seed());
        LabeledImages test = IdxFiles.read(files.get(2), files.get(3));
        return InMemoryDataset.of(spec, name, train, test, classNames,
                new Normalization(new float[] {mean}, new float[] {std}), 2, flip,
                files.stream().map(DataPart::file).toList());
    }

    /** The gzipped file when present, else the raw one (whose absence the reader reports). */
    private static Path file(Path directory, String baseName) {
        Path gzipped = directory.resolve(baseName + ".gz");
        return Files.exists(gzipped) ? gzipped : directory.resolve(baseName);
    }
}
