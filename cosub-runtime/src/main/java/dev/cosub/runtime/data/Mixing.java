package dev.cosub.runtime.data;

import java.util.Random;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ChengBetaSampler;

/**
 * Mixup and CutMix on whole batches, as timm's {@code Mixup} in batch mode: each batch draws
 * either CutMix (with probability {@code switchProbability}) or Mixup, and a weight lambda from a
 * Beta(alpha, alpha) distribution. Image i is mixed with image B-1-i of the same batch, so the
 * targets are {@code lambda * y + (1 - lambda) * y reversed}. CutMix pastes a box of the partner
 * image whose area is about 1 - lambda; lambda then becomes the share of the image left.
 *
 * @param mixupAlpha Beta parameter of Mixup's weight, 0 for no Mixup
 * @param cutmixAlpha Beta parameter of CutMix's weight, 0 for no CutMix
 * @param switchProbability chance of CutMix when both are on
 */
public record Mixing(double mixupAlpha, double cutmixAlpha, double switchProbability) {

    /** No mixing. */
    public static final Mixing NONE = new Mixing(0, 0, 0);

    /** DeiT III's: Mixup 0.8, CutMix 1.0, one of them per batch with even odds. */
    public static final Mixing DEIT3 = new Mixing(0.8, 1.0, 0.5);

    public Mixing {
        if (mixupAlpha < 0 || cutmixAlpha < 0 || switchProbability < 0 || switchProbability > 1) {
            throw new IllegalArgumentException("mixing needs alphas >= 0 and a probability in"
                    + " [0, 1], got " + mixupAlpha + ", " + cutmixAlpha + ", "
                    + switchProbability);
        }
    }

    public boolean isActive() {
        return mixupAlpha > 0 || cutmixAlpha > 0;
    }

    /**
     * Mixes the first {@code size} images of {@code pixels} in place.
     *
     * @param scratch a copy of the batch is kept here: at least as long as the batch's pixels
     * @return lambda, the weight of each image's own label
     */
    float mix(float[] pixels, float[] scratch, int size, dev.cosub.runtime.model.ImageShape shape,
            Random random) {
        boolean cutmix = cutmixAlpha > 0
                && (mixupAlpha == 0 || random.nextDouble() < switchProbability);
        double lambda = beta(cutmix ? cutmixAlpha : mixupAlpha, random);
        int imageSize = shape.size();
        System.arraycopy(pixels, 0, scratch, 0, size * imageSize);
        if (!cutmix) {
            for (int b = 0; b < size; b++) {
                int own = b * imageSize;
                int partner = (size - 1 - b) * imageSize;
                for (int i = 0; i < imageSize; i++) {
                    pixels[own + i] = (float) (lambda * scratch[own + i]
                            + (1 - lambda) * scratch[partner + i]);
                }
            }
            return (float) lambda;
        }
        int height = shape.height();
        int width = shape.width();
        double ratio = Math.sqrt(1 - lambda);
        int cutHeight = (int) (height * ratio);
        int cutWidth = (int) (width * ratio);
        int centerY = random.nextInt(height);
        int centerX = random.nextInt(width);
        int top = Math.max(centerY - cutHeight / 2, 0);
        int bottom = Math.min(centerY + cutHeight / 2, height);
        int left = Math.max(centerX - cutWidth / 2, 0);
        int right = Math.min(centerX + cutWidth / 2, width);
        for (int b = 0; b < size; b++) {
            int partner = size - 1 - b;
            for (int c = 0; c < shape.channels(); c++) {
                for (int y = top; y < bottom; y++) {
                    int row = ((c * height) + y) * width;
                    System.arraycopy(scratch, partner * imageSize + row + left, pixels,
                            b * imageSize + row + left, right - left);
                }
            }
        }
        return 1f - (float) ((bottom - top) * (right - left)) / (height * width);
    }

    /** A Beta(alpha, alpha) draw from {@code random}, so that a seeded run repeats exactly. */
    private static double beta(double alpha, Random random) {
        UniformRandomProvider source = random::nextLong;
        return ChengBetaSampler.of(source, alpha, alpha).sample();
    }
}
