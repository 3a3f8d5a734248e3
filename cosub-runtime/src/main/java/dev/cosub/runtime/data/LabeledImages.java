package dev.cosub.runtime.data;

import dev.cosub.runtime.model.ImageShape;
import java.util.Arrays;
import java.util.Random;

/** Images held in memory as unsigned bytes (C, H, W per image) with their integer labels. */
public final class LabeledImages implements ImageSource {

    private final ImageShape shape;
    private final byte[] pixels;
    private final int[] labels;

    public LabeledImages(ImageShape shape, byte[] pixels, int[] labels) {
        if (pixels.length != (long) labels.length * shape.size()) {
            throw new IllegalArgumentException(
                    labels.length + " labels need " + (long) labels.length * shape.size()
                            + " pixels of shape " + shape + ", got " + pixels.length);
        }
        this.shape = shape;
        this.pixels = pixels;
        this.labels = labels;
    }

    public ImageShape shape() {
        return shape;
    }

    @Override
    public int count() {
        return labels.length;
    }

    @Override
    public int label(int index) {
        return labels[index];
    }

    /** Pixel {@code (channel, y, x)} of image {@code index}, in [0, 255]. */
    public int pixel(int index, int channel, int y, int x) {
        int offset = index * shape.size() + (channel * shape.height() + y) * shape.width() + x;
        return pixels[offset] & 0xFF;
    }

    @Override
    public Raster read(int index) {
        int size = shape.size();
        byte[] image = new byte[size];
        System.arraycopy(pixels, index * size, image, 0, size);
        return new Raster(shape.channels(), shape.height(), shape.width(), image);
    }

    /**
     * A seeded random subset of {@code size} images, or these images when {@code size} is 0 or
     * their count.
     *
     * @throws IllegalArgumentException when there are fewer than {@code size} images
     */
    public LabeledImages subset(int size, long seed) {
        int[] order = subsetIndices(count(), size, seed);
        if (order == null) {
            return this;
        }
        int imageSize = shape.size();
        byte[] subsetPixels = new byte[order.length * imageSize];
        int[] subsetLabels = new int[order.length];
        for (int i = 0; i < order.length; i++) {
            System.arraycopy(pixels, order[i] * imageSize, subsetPixels, i * imageSize, imageSize);
            subsetLabels[i] = labels[order[i]];
        }
        return new LabeledImages(shape, subsetPixels, subsetLabels);
    }

    /**
     * The indices of a seeded random subset of {@code size} of {@code count} images, in the
     * order the subset keeps them; {@code null} when the subset is all of them. Every kind of
     * data draws its subset here, so the same seed keeps the same positions.
     */
    static int[] subsetIndices(int count, int size, long seed) {
        if (size < 0 || size > count) {
            throw new IllegalArgumentException("trainSubset = " + size + " is invalid: expected"
                    + " 0 (all) up to the " + count + " training images there are");
        }
        if (size == 0 || size == count) {
            return null;
        }
        return Arrays.copyOf(Batches.shuffled(count, new Random(seed)), size);
    }
}
