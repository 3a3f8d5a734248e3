package dev.cosub.runtime.data;

import dev.cosub.runtime.model.ImageShape;
import java.util.Random;

/**
 * Generated images for fast tests: each class has a smooth random prototype, and each image is
 * its class prototype, randomly shifted by up to two pixels, with pixel noise. A model has to
 * learn the prototypes to classify them, yet a few hundred steps suffice.
 */
public final class SyntheticImages {

    private static final int MAX_SHIFT = 2;
    private static final double NOISE = 40.0;

    private SyntheticImages() {}

    /**
     * Generates {@code count} images of {@code shape} over {@code classes} classes. The same
     * {@code prototypeSeed} gives the same classes; {@code sampleSeed} draws the samples.
     */
    public static LabeledImages generate(
            int count, ImageShape shape, int classes, long prototypeSeed, long sampleSeed) {
        double[][] prototypes = prototypes(shape, classes, new Random(prototypeSeed));
        Random random = new Random(sampleSeed);
        byte[] pixels = new byte[count * shape.size()];
        int[] labels = new int[count];
        int h = shape.height();
        int w = shape.width();
        for (int i = 0; i < count; i++) {
            int label = random.nextInt(classes);
            labels[i] = label;
            int dy = random.nextInt(2 * MAX_SHIFT + 1) - MAX_SHIFT;
            int dx = random.nextInt(2 * MAX_SHIFT + 1) - MAX_SHIFT;
            int offset = i * shape.size();
            for (int c = 0; c < shape.channels(); c++) {
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        int sy = Math.floorMod(y + dy, h);
                        int sx = Math.floorMod(x + dx, w);
                        double value =
                                prototypes[label][(c * h + sy) * w + sx]
                                        + random.nextGaussian() * NOISE;
                        pixels[offset + (c * h + y) * w + x] =
                                (byte) Math.max(0, Math.min(255, (int) Math.round(value)));
                    }
                }
            }
        }
        return new LabeledImages(shape, pixels, labels);
    }

    /** Coarse 4x4-cell random patterns, bilinearly smoothed to the full image. */
    private static double[][] prototypes(ImageShape shape, int classes, Random random) {
        int cells = 4;
        double[][] result = new double[classes][shape.size()];
        for (int k = 0; k < classes; k++) {
            for (int c = 0; c < shape.channels(); c++) {
                double[][] grid = new double[cells + 1][cells + 1];
                for (double[] row : grid) {
                    for (int j = 0; j < row.length; j++) {
                        row[j] = random.nextDouble() * 255.0;
                    }
                }
                for (int y = 0; y < shape.height(); y++) {
                    double gy = (double) y / shape.height() * cells;
                    int y0 = (int) gy;
                    double fy = gy - y0;
                    for (int x = 0; x < shape.width(); x++) {
                        double gx = (double) x / shape.width() * cells;
                        int x0 = (int) gx;
                        double fx = gx - x0;
                        double top = grid[y0][x0] * (1 - fx) + grid[y0][x0 + 1] * fx;
                        double bottom = grid[y0 + 1][x0] * (1 - fx) + grid[y0 + 1][x0 + 1] * fx;
                        result[k][(c * shape.height() + y) * shape.width() + x] =
                                top * (1 - fy) + bottom * fy;
                    }
                }
            }
        }
        return result;
    }
}
