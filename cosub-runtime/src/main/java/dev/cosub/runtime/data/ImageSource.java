package dev.cosub.runtime.data;

import dev.cosub.runtime.io.InvalidDataException;

/**
 * Labelled images that can be read one at a time, from memory or from files, by several
 * threads at once.
 */
public interface ImageSource {

    int count();

    /** The class index of image {@code index}. */
    int label(int index);

    /**
     * Decodes image {@code index}.
     *
     * @throws InvalidDataException naming the file when it cannot be decoded
     */
    Raster read(int index);

    /** The largest label plus one. */
    default int classCount() {
        int max = -1;
        for (int i = 0; i < count(); i++) {
            max = Math.max(max, label(i));
        }
        return max + 1;
    }

    /**
     * {@code size} of these images drawn with {@code seed} (all of them when there are no more),
     * as a view: the same source and seed give the same images in the same order.
     */
    default ImageSource sample(int size, long seed) {
        int[] picked = LabeledImages.subsetIndices(count(), Math.min(size, count()), seed);
        if (picked == null) {
            return this;
        }
        ImageSource all = this;
        return new ImageSource() {
            @Override
            public int count() {
                return picked.length;
            }

            @Override
            public int label(int index) {
                return all.label(picked[index]);
            }

            @Override
            public Raster read(int index) {
                return all.read(picked[index]);
            }
        };
    }
}
