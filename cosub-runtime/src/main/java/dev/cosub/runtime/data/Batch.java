package dev.cosub.runtime.data;

/**
 * One batch ready for the engine: normalised pixels (size x C x H x W, row-major) and labels.
 * The pixel array may be longer than needed; only the first {@code size} images count.
 *
 * @param mixWeight the weight of each image's own label when the batch was mixed with itself
 *     reversed (image i with image size-1-i, see {@link Mixing}); 1 when it was not
 */
public record Batch(float[] pixels, int[] labels, int size, float mixWeight) {

    /** An unmixed batch. */
    public Batch(float[] pixels, int[] labels, int size) {
        this(pixels, labels, size, 1f);
    }

    public boolean isMixed() {
        return mixWeight < 1f;
    }
}
