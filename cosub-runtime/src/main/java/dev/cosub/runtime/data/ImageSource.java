package dev.cosub.runtime.data;

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
}
