package dev.cosub.runtime.data;

import dev.cosub.runtime.io.InvalidDataException;
import dev.cosub.runtime.model.ImageShape;
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
 * @param parts what the data was read from, by role: its files, or an image folder's class
 *     folders (none for generated data); the training images are those of the whole training
 *     split, before any subset
 */
public record ImageDataset(
        String name,
        ImageSource train,
        ImageSource test,
        ImageShape shape,
        List<String> classNames,
        Normalization normalization,
        Augmentation augmentation,
        List<DataPart> parts) {

    public ImageDataset {
        int found = Math.max(train.classCount(), test.classCount());
        if (found > classNames.size()) {
            throw new InvalidDataException(
                    name + ": labels go up to " + (found - 1) + " but the dataset has "
                            + classNames.size() + " classes");
        }
        classNames = List.copyOf(classNames);
        parts = List.copyOf(parts);
    }

    public int classes() {
        return classNames.size();
    }

    /** What every image goes through, with the data's own training augmentation. */
    public ImagePipeline pipeline() {
        return new ImagePipeline(shape, normalization, augmentation);
    }
}
