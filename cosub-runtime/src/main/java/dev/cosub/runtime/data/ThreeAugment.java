package dev.cosub.runtime.data;

import dev.cosub.runtime.model.ImageShape;
import java.util.Locale;
import java.util.Random;

/**
 * DeiT III's 3-Augment on one image with values in [0, 1], channels first: exactly one of
 * grayscale, solarisation or Gaussian blur, chosen at random, then, on colour images, colour
 * jitter of strength 0.3 (brightness, contrast and saturation, in random order).
 */
final class ThreeAugment {

    static final float JITTER = 0.3f;
    static final double BLUR_SIGMA_MIN = 0.1;
    static final double BLUR_SIGMA_MAX = 2.0;
    /** Solarisation inverts pixels at or above 128 of 255, as PIL's default. */
    static final float SOLARIZE_THRESHOLD = 128f / 255f;

    private ThreeAugment() {}

    static String settings() {
        return String.format(Locale.ROOT, "per image one of grayscale, solarisation"
                + " (pixels >= %.4f inverted) or Gaussian blur (sigma %.1f-%.1f), then colour"
                + " jitter %.1f on colour images", SOLARIZE_THRESHOLD, BLUR_SIGMA_MIN,
                BLUR_SIGMA_MAX, JITTER);
    }

    static void apply(float[] image, ImageShape shape, Random random) {
        switch (random.nextInt(3)) {
            case 0 -> grayscale(image, shape);
            case 1 -> solarize(image);
            default -> blur(image, shape,
                    BLUR_SIGMA_MIN + random.nextDouble() * (BLUR_SIGMA_MAX - BLUR_SIGMA_MIN));
        }
        if (shape.channels() == 3) {
            jitter(image, shape, random);
        }
    }

    /** ITU-R 601 luma, the weights PIL and torchvision use, in every channel. */
    static void grayscale(float[] image, ImageShape shape) {
        if (shape.channels() != 3) {
            return;
        }
        int plane = shape.height() * shape.width();
        for (int i = 0; i < plane; i++) {
            float luma = luma(image, plane, i);
            image[i] = luma;
            image[plane + i] = luma;
            image[2 * plane + i] = luma;
        }
    }

    static void solarize(float[] image) {
        for (int i = 0; i < image.length; i++) {
            if (image[i] >= SOLARIZE_THRESHOLD) {
                image[i] = 1f - image[i];
            }
        }
    }

    /** A separable Gaussian blur, edges clamped, the kernel cut at three deviations. */
    static void blur(float[] image, ImageShape shape, double sigma) {
        int radius = (int) Math.ceil(3 * sigma);
        float[] kernel = new float[2 * radius + 1];
        float sum = 0;
        for (int i = -radius; i <= radius; i++) {
            kernel[i + radius] = (float) Math.exp(-i * i / (2 * sigma * sigma));
            sum += kernel[i + radius];
        }
        for (int i = 0; i < kernel.length; i++) {
            kernel[i] /= sum;
        }
        int height = shape.height();
        int width = shape.width();
        float[] row = new float[Math.max(height, width)];
        for (int c = 0; c < shape.channels(); c++) {
            int offset = c * height * width;
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    float value = 0;
                    for (int k = -radius; k <= radius; k++) {
                        int source = Math.min(Math.max(x + k, 0), width - 1);
                        value += kernel[k + radius] * image[offset + y * width + source];
                    }
                    row[x] = value;
                }
                System.arraycopy(row, 0, image, offset + y * width, width);
            }
            for (int x = 0; x < width; x++) {
                for (int y = 0; y < height; y++) {
                    float value = 0;
                    for (int k = -radius; k <= radius; k++) {
                        int source = Math.min(Math.max(y + k, 0), height - 1);
                        value += kernel[k + radius] * image[offset + source * width + x];
                    }
                    row[y] = value;
                }
                for (int y = 0; y < height; y++) {
                    image[offset + y * width + x] = row[y];
                }
            }
        }
    }

    /** Brightness, contrast and saturation factors in [1 - 0.3, 1 + 0.3], in random order. */
    static void jitter(float[] image, ImageShape shape, Random random) {
        int plane = shape.height() * shape.width();
        int[] order = {0, 1, 2};
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        for (int operation : order) {
            float factor = 1 - JITTER + 2 * JITTER * random.nextFloat();
            switch (operation) {
                case 0 -> {
                    for (int i = 0; i < image.length; i++) {
                        image[i] = clamp(image[i] * factor);
                    }
                }
                case 1 -> {
                    float mean = 0;
                    for (int i = 0; i < plane; i++) {
                        mean += luma(image, plane, i);
                    }
                    mean /= plane;
                    for (int i = 0; i < image.length; i++) {
                        image[i] = clamp(factor * image[i] + (1 - factor) * mean);
                    }
                }
                default -> {
                    for (int i = 0; i < plane; i++) {
                        float gray = luma(image, plane, i);
                        for (int c = 0; c < 3; c++) {
                            image[c * plane + i] =
                                    clamp(factor * image[c * plane + i] + (1 - factor) * gray);
                        }
                    }
                }
            }
        }
    }

    private static float luma(float[] image, int plane, int i) {
        return 0.299f * image[i] + 0.587f * image[plane + i] + 0.114f * image[2 * plane + i];
    }

    private static float clamp(float value) {
        return Math.min(1f, Math.max(0f, value));
    }
}
