package dev.cosub.runtime.data;

import dev.cosub.runtime.model.ImageShape;
import java.nio.file.Path;
import java.util.List;

/**
 * A classification dataset ready to be batched.
 *
 * @param name the dataset's name, e.g. {@code fashion-mnist}
 * @param train the training images (possibly a subset)
 * @param test the test images
 * @param shape the shape of the images the network sees
 * @param classNames the classes, in label order
 * @param normalization per-channel normalisation applied to every batch
 * @param augmentation training augmentation suited to this data
 * @param sourceFiles the files the data came from (empty for generated data; an image
 *     folder's directory for a folder)
 * @param listingSha256 for an image folder, the SHA-256 of its sorted file listing (see
 *     {@link ImageFolders#listingSha256}); {@code null} otherwise
 */
public record ImageDataset(
        String name,
        ImageSource train,
        ImageSource test,
        ImageShape shape,
        List<String> classNames,
        Normalization normalization,
        Augmentation augmentation,
        List<Path> sourceFiles,
        String listingSha256) {

    public ImageDataset {
        int found = Math.max(train.classCount(), test.classCount());
        if (found > classNames.size()) {
            throw new InvalidDataException(
                    name + ": labels go up to " + (found - 1) + " but the dataset has "
                            + classNames.size() + " classes");
        }
        classNames = List.copyOf(classNames);
        sourceFiles = List.copyOf(sourceFiles);
    }

    public int classes() {
        return classNames.size();
    }

    /** What every image goes through, with the data's own training augmentation. */
    public ImagePipeline pipeline() {
        return new ImagePipeline(shape, normalization, augmentation);
    }
}
