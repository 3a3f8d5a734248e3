package dev.cosub.runtime.data;

import dev.cosub.runtime.model.ImageShape;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * Your images in class folders, {@code train/<class>/*} and {@code val/<class>/*} (or
 * {@code test/}), streamed from disk.
 */
final class FolderDataset implements DatasetFamily {

    static final FolderDataset INSTANCE = new FolderDataset();

    /** How many training images of a folder its normalisation is measured on. */
    static final int NORMALIZATION_SAMPLE = 1000;

    private FolderDataset() {}

    @Override
    public String name() {
        return "folder";
    }

    @Override
    public String directoryDescription() {
        return "a directory holding train/ and val/";
    }

    @Override
    public List<Path> requiredFiles(Path directory) {
        return List.of(directory.resolve("train"));
    }

    @Override
    public String hint(Path directory) {
        return "; expected train/<class>/*.png|jpg|jpeg and val/<class>/... (or test/)"
                + (directory == null ? "" : " in " + directory);
    }

    /**
     * Small images (under 64 pixels) get a padded crop shifted by up to a fourteenth of their
     * side, 2 pixels at 28 and 32 as this project's Fashion-MNIST crop (an eighth, 3 pixels at
     * 28, measured 2.3 and 2.6 points lower on the same images after 3 epochs); larger ones a
     * random-resized crop. Both flip.
     */
    @Override
    public ImageDataset load(DataSpec spec, Path directory, Consumer<String> log) {
        ImageFolders.Scan scan = ImageFolders.scan(directory, spec.threadsOrDefault(), log);
        int size = spec.imageSize();
        if (size == 0) {
            if (scan.commonSize() == 0) {
                throw new IllegalArgumentException("imageSize = 0 (the images' own size) cannot"
                        + " be used with " + directory + ", whose images have different sizes:"
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
        Normalization normalization = Normalization.chosen(spec.normalization(), () -> {
            Normalization own = Normalization.measured(scan.train(), shape,
                    spec.threadsOrDefault(), NORMALIZATION_SAMPLE);
            log.accept("folder: normalization measured on " + Math.min(NORMALIZATION_SAMPLE,
                    scan.train().count()) + " training images: " + own);
            return own;
        }, shape);
        return new ImageDataset("folder", train, scan.test(), shape, scan.classes(),
                normalization, augmentation, scan.parts());
    }
}
