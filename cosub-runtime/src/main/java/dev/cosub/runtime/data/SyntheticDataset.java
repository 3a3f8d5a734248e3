package dev.cosub.runtime.data;

import dev.cosub.runtime.model.ImageShape;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/** Generated 28x28 images of ten classes: the whole pipeline with no files, in seconds. */
final class SyntheticDataset implements DatasetFamily {

    static final SyntheticDataset INSTANCE = new SyntheticDataset();

    private static final int TRAIN = 6000;
    private static final int TEST = 1000;
    private static final long PROTOTYPE_SEED = 20230;

    private SyntheticDataset() {}

    @Override
    public String name() {
        return "synthetic";
    }

    @Override
    public boolean needsFiles() {
        return false;
    }

    @Override
    public String directoryDescription() {
        return "no directory";
    }

    @Override
    public List<Path> requiredFiles(Path directory) {
        return List.of();
    }

    @Override
    public String hint(Path directory) {
        return "";
    }

    @Override
    public ImageDataset load(DataSpec spec, Path directory, Consumer<String> log) {
        ImageShape shape = new ImageShape(1, 28, 28);
        int trainCount = spec.trainSubset() > 0 ? spec.trainSubset() : TRAIN;
        return InMemoryDataset.of(spec, name(),
                SyntheticImages.generate(trainCount, shape, 10, PROTOTYPE_SEED, spec.seed()),
                SyntheticImages.generate(TEST, shape, 10, PROTOTYPE_SEED, -1L),
                InMemoryDataset.numbered(10),
                new Normalization(new float[] {0.5f}, new float[] {0.25f}), 2, false,
                List.of());
    }
}
