package dev.cosub.runtime.data;

import dev.cosub.runtime.model.ImageShape;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Random;

/**
 * Turns in-memory images into batches: a seeded order per epoch and seeded augmentation, so a run
 * with the same seed sees the same images in the same order with the same crops and flips.
 */
public final class Batches implements Iterator<Batch> {

    private final LabeledImages images;
    private final int batchSize;
    private final Normalization normalization;
    private final Augmentation augmentation;
    private final int[] order;
    private final Random random;
    private final float[] pixelBuffer;
    private final float[] mixScratch;
    private final float[] imageScratch;
    private int next;

    private Batches(
            LabeledImages images,
            int batchSize,
            Normalization normalization,
            Augmentation augmentation,
            int[] order,
            Random random) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        if (normalization.mean().length != images.shape().channels()) {
            throw new IllegalArgumentException(
                    "normalization has " + normalization.mean().length + " channels, images have "
                            + images.shape().channels());
        }
        this.images = images;
        this.batchSize = batchSize;
        this.normalization = normalization;
        this.augmentation = augmentation;
        this.order = order;
        this.random = random;
        this.pixelBuffer = new float[batchSize * images.shape().size()];
        this.mixScratch = augmentation.mixing().isActive() ? new float[pixelBuffer.length] : null;
        this.imageScratch = new float[images.shape().size()];
    }

    /** Shuffled, augmented batches for training epoch {@code epoch} (0-based) of a seeded run. */
    public static Batches training(
            LabeledImages images,
            int batchSize,
            Normalization normalization,
            Augmentation augmentation,
            long seed,
            int epoch) {
        Random random = new Random(seed * 1_000_003L + epoch);
        int[] order = shuffled(images.count(), random);
        return new Batches(images, batchSize, normalization, augmentation, order, random);
    }

    /** Batches in file order without augmentation, for evaluation. */
    public static Batches evaluation(LabeledImages images, int batchSize, Normalization normalization) {
        int[] order = new int[images.count()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        return new Batches(images, batchSize, normalization, Augmentation.NONE, order, new Random(0));
    }

    /** Number of batches per pass, the last one possibly partial. */
    public static int count(int images, int batchSize) {
        return (images + batchSize - 1) / batchSize;
    }

    /** A Fisher-Yates permutation of 0..n-1. */
    static int[] shuffled(int n, Random random) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        return order;
    }

    /** The image indices in the order this pass visits them. */
    public int[] order() {
        return order.clone();
    }

    @Override
    public boolean hasNext() {
        return next < order.length;
    }

    /**
     * The next batch. Its pixel array is reused by the following call: hand it to the engine
     * before asking for another.
     */
    @Override
    public Batch next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        int size = Math.min(batchSize, order.length - next);
        int[] labels = new int[size];
        ImageShape shape = images.shape();
        int imageSize = shape.size();
        for (int b = 0; b < size; b++) {
            int index = order[next + b];
            labels[b] = images.label(index);
            writeImage(index, b * imageSize, shape);
        }
        next += size;
        if (mixScratch == null) {
            return new Batch(pixelBuffer, labels, size);
        }
        float mixWeight = augmentation.mixing().mix(pixelBuffer, mixScratch, size, shape, random);
        return new Batch(pixelBuffer, labels, size, mixWeight);
    }

    /**
     * Writes image {@code index}, cropped, maybe flipped and maybe 3-Augmented, normalised, at
     * {@code offset} of the batch.
     */
    private void writeImage(int index, int offset, ImageShape shape) {
        int pad = augmentation.padding();
        int dy = pad == 0 ? 0 : random.nextInt(2 * pad + 1) - pad;
        int dx = pad == 0 ? 0 : random.nextInt(2 * pad + 1) - pad;
        boolean flip = augmentation.horizontalFlip() && random.nextBoolean();
        int height = shape.height();
        int width = shape.width();
        int i = 0;
        for (int c = 0; c < shape.channels(); c++) {
            for (int y = 0; y < height; y++) {
                int sourceY = y + dy;
                for (int x = 0; x < width; x++) {
                    int sourceX = (flip ? width - 1 - x : x) + dx;
                    boolean inside =
                            sourceY >= 0 && sourceY < height && sourceX >= 0 && sourceX < width;
                    imageScratch[i++] =
                            inside ? images.pixel(index, c, sourceY, sourceX) / 255f : 0f;
                }
            }
        }
        if (augmentation.threeAugment()) {
            ThreeAugment.apply(imageScratch, shape, random);
        }
        int plane = height * width;
        for (int j = 0; j < imageScratch.length; j++) {
            pixelBuffer[offset + j] = normalization.normalize(j / plane, imageScratch[j]);
        }
    }
}
