package dev.cosub.runtime.data;

import dev.cosub.runtime.model.ImageShape;
import java.util.ArrayList;
import java.util.List;

/** Builds the datasets that are read whole into memory (IDX, CIFAR, generated). */
final class InMemoryDataset {

    private InMemoryDataset() {}

    /**
     * A dataset held in memory, at its own size unless {@code imageSize} asks for another, with
     * its usual padded crop scaled to that size.
     */
    static ImageDataset of(DataSpec spec, String name, LabeledImages train, LabeledImages test,
            List<String> classes, Normalization own, int padding, boolean flip,
            List<DataPart> parts) {
        int nativeSize = train.shape().height();
        int size = spec.imageSize() > 0 ? spec.imageSize() : nativeSize;
        int scaledPadding = Math.max(1, Math.round((float) padding * size / nativeSize));
        ImageShape shape = new ImageShape(train.shape().channels(), size, size);
        return new ImageDataset(name, train, test, shape, classes,
                Normalization.chosen(spec.normalization(), () -> own, shape),
                new Augmentation(scaledPadding, flip), parts);
    }

    /** Class names 0, 1, ... for datasets whose classes are numbered. */
    static List<String> numbered(int classes) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < classes; i++) {
            names.add(Integer.toString(i));
        }
        return names;
    }
}
