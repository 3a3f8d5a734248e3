package dev.cosub.runtime.train;

import dev.cosub.runtime.data.ImageDataset;

/** Datasets whose test split is cut down, for tests that train more than they evaluate. */
final class TestSamples {

    private TestSamples() {}

    /** {@code data} with a fixed sample of {@code images} of its test images in their place. */
    static ImageDataset withTestSample(ImageDataset data, int images, long seed) {
        return new ImageDataset(data.name(), data.train(), data.test().sample(images, seed),
                data.shape(), data.classNames(), data.normalization(), data.augmentation(),
                data.parts());
    }
}
