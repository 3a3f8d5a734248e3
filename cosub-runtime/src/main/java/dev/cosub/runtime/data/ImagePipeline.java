package dev.cosub.runtime.data;

import dev.cosub.runtime.model.ImageShape;
import java.util.Random;

/**
 * What one image goes through on its way into a batch. Evaluation resizes the shorter side to
 * the output size and keeps the centre square, which leaves an image of the output size as it
 * is. Training crops at random as {@link Augmentation} says (a shifted, zero-padded window for
 * small images, a random-resized crop for photos), may flip, may 3-Augment; both normalise.
 * Resampling is bilinear.
 *
 * @param output the shape the network takes: channels and the square image size
 * @param normalization per-channel mean and deviation
 * @param augmentation the training augmentation
 */
public record ImagePipeline(ImageShape output, Normalization normalization,
        Augmentation augmentation) {

    /** Random-resized crops keep 8% to 100% of the image's area, as torchvision's default. */
    static final double MIN_AREA = 0.08;
    static final double MIN_RATIO = 3.0 / 4.0;
    static final double MAX_RATIO = 4.0 / 3.0;
    private static final int CROP_ATTEMPTS = 10;

    public ImagePipeline {
        if (normalization.mean().length != output.channels()) {
            throw new IllegalArgumentException("normalization has " + normalization.mean().length
                    + " channels, images have " + output.channels());
        }
        if (output.height() != output.width()) {
            throw new IllegalArgumentException("the output must be square, got " + output);
        }
    }

    /** The same pipeline with the training augmentation of a recipe. */
    public ImagePipeline withAugmentation(Augmentation training) {
        return new ImagePipeline(output, normalization, training);
    }

    /**
     * Writes {@code image}, augmented with {@code random}, normalised, into {@code batch} at
     * {@code offset}; {@code scratch} holds one output image.
     */
    void training(Raster image, Random random, float[] scratch, float[] batch, int offset) {
        int size = output.width();
        if (augmentation.randomResizedCrop()) {
            double[] box = randomResizedBox(image.width(), image.height(), random);
            boolean flip = augmentation.horizontalFlip() && random.nextBoolean();
            sample(image, box[0], box[1], box[2], box[3], flip, scratch);
        } else {
            int pad = augmentation.padding();
            int dy = pad == 0 ? 0 : random.nextInt(2 * pad + 1) - pad;
            int dx = pad == 0 ? 0 : random.nextInt(2 * pad + 1) - pad;
            boolean flip = augmentation.horizontalFlip() && random.nextBoolean();
            double side = Math.min(image.width(), image.height());
            double scale = side / size;
            sample(image, (image.width() - side) / 2 + dx * scale,
                    (image.height() - side) / 2 + dy * scale, side, side, flip, scratch);
        }
        if (augmentation.threeAugment()) {
            ThreeAugment.apply(scratch, output, random);
        }
        normalize(scratch, batch, offset);
    }

    /** {@code image} as evaluation sees it: centre-cropped, resized and normalised, C x H x W. */
    public float[] evaluation(Raster image) {
        float[] pixels = new float[output.size()];
        evaluation(image, new float[output.size()], pixels, 0);
        return pixels;
    }

    /** Writes {@code image}, centre-cropped and normalised, into {@code batch} at {@code offset}. */
    void evaluation(Raster image, float[] scratch, float[] batch, int offset) {
        double side = Math.min(image.width(), image.height());
        sample(image, (image.width() - side) / 2, (image.height() - side) / 2, side, side, false,
                scratch);
        normalize(scratch, batch, offset);
    }

    private void normalize(float[] image, float[] batch, int offset) {
        int plane = output.height() * output.width();
        for (int j = 0; j < image.length; j++) {
            batch[offset + j] = normalization.normalize(j / plane, image[j]);
        }
    }

    /**
     * A window of 8% to 100% of the area with an aspect ratio between 3/4 and 4/3, placed at
     * random; after ten misses, the largest centred window within those ratios.
     *
     * @return {x, y, width, height} in source pixels
     */
    static double[] randomResizedBox(int width, int height, Random random) {
        double area = (double) width * height;
        double logMin = Math.log(MIN_RATIO);
        double logMax = Math.log(MAX_RATIO);
        for (int attempt = 0; attempt < CROP_ATTEMPTS; attempt++) {
            double target = area * (MIN_AREA + (1 - MIN_AREA) * random.nextDouble());
            double ratio = Math.exp(logMin + (logMax - logMin) * random.nextDouble());
            int w = (int) Math.round(Math.sqrt(target * ratio));
            int h = (int) Math.round(Math.sqrt(target / ratio));
            if (w > 0 && w <= width && h > 0 && h <= height) {
                int y = random.nextInt(height - h + 1);
                int x = random.nextInt(width - w + 1);
                return new double[] {x, y, w, h};
            }
        }
        double ratio = (double) width / height;
        double w = width;
        double h = height;
        if (ratio < MIN_RATIO) {
            h = Math.round(w / MIN_RATIO);
        } else if (ratio > MAX_RATIO) {
            w = Math.round(h * MAX_RATIO);
        }
        return new double[] {(width - w) / 2, (height - h) / 2, w, h};
    }

    /**
     * Resamples the window ({@code x0}, {@code y0}, {@code boxWidth}, {@code boxHeight}) of
     * {@code image}, in its pixels, onto the output grid in [0, 1], bilinearly, mirrored when
     * {@code flip}. Samples more than half a pixel outside the image are 0, the zero padding of
     * a shifted crop; a grey image fills every output channel.
     */
    void sample(Raster image, double x0, double y0, double boxWidth, double boxHeight,
            boolean flip, float[] out) {
        int size = output.width();
        int[] x1 = new int[size];
        int[] x2 = new int[size];
        float[] xWeight = new float[size];
        boolean[] xInside = new boolean[size];
        axis(x0, boxWidth, image.width(), size, x1, x2, xWeight, xInside);
        int[] y1 = new int[size];
        int[] y2 = new int[size];
        float[] yWeight = new float[size];
        boolean[] yInside = new boolean[size];
        axis(y0, boxHeight, image.height(), size, y1, y2, yWeight, yInside);
        byte[] pixels = image.pixels();
        int i = 0;
        for (int c = 0; c < output.channels(); c++) {
            int plane = Math.min(c, image.channels() - 1) * image.height() * image.width();
            for (int y = 0; y < size; y++) {
                int row1 = plane + y1[y] * image.width();
                int row2 = plane + y2[y] * image.width();
                float wy = yWeight[y];
                for (int x = 0; x < size; x++) {
                    int sx = flip ? size - 1 - x : x;
                    if (!yInside[y] || !xInside[sx]) {
                        out[i++] = 0f;
                        continue;
                    }
                    float wx = xWeight[sx];
                    float top = (pixels[row1 + x1[sx]] & 0xFF) * (1 - wx)
                            + (pixels[row1 + x2[sx]] & 0xFF) * wx;
                    float bottom = (pixels[row2 + x1[sx]] & 0xFF) * (1 - wx)
                            + (pixels[row2 + x2[sx]] & 0xFF) * wx;
                    out[i++] = (top * (1 - wy) + bottom * wy) / 255f;
                }
            }
        }
    }

    /** Source neighbours and weights along one axis; pixel centres map to pixel centres. */
    private static void axis(double start, double length, int sourceSize, int size, int[] low,
            int[] high, float[] weight, boolean[] inside) {
        double step = length / size;
        for (int o = 0; o < size; o++) {
            double s = start + (o + 0.5) * step - 0.5;
            inside[o] = s >= -0.5 && s <= sourceSize - 0.5;
            double clamped = Math.min(Math.max(s, 0), sourceSize - 1);
            int floor = (int) Math.floor(clamped);
            low[o] = floor;
            high[o] = Math.min(floor + 1, sourceSize - 1);
            weight[o] = (float) (clamped - floor);
        }
    }
}
