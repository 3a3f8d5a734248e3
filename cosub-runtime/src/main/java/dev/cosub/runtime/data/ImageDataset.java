package dev.cosub.runtime.data;

import java.nio.file.Path;
import java.util.List;

/**
 * A classification dataset held in memory.
 *
 * @param name the dataset's name, e.g. {@code fashion-mnist}
 * @param train the training images (possibly a subset)
 * @param test the test images
 * @param classes the number of classes
 * @param normalization per-channel normalisation applied to every batch
 * @param augmentation training augmentation suited to this data
 * @param sourceFiles the files the data came from (empty for generated data)
 */
public record ImageDataset(
        String name,
        LabeledImages train,
        LabeledImages test,
        int classes,
        Normalization normalization,
        Augmentation augmentation,
        List<Path> sourceFiles) {

    public ImageDataset {
        if (!train.shape().equals(test.shape())) {
            throw new IllegalArgumentException(
                    name + ": training images are " + train.shape() + " but test images are "
                            + test.shape());
        }
        int found = Math.max(train.classCount(), test.classCount());
        if (found > classes) {
            throw new InvalidDataException(
                    name + ": labels go up to " + (found - 1) + " but the dataset has " + classes
                            + " classes");
        }
        sourceFiles = List.copyOf(sourceFiles);
    }
}
