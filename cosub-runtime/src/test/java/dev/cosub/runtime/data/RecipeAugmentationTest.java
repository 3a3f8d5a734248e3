package dev.cosub.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cosub.runtime.model.ImageShape;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** DeiT III's augmentation: Mixup and CutMix of a batch, and 3-Augment of an image. */
class RecipeAugmentationTest {

    private static final ImageShape SHAPE = new ImageShape(1, 8, 8);

    /** Image i filled with the value i + 1. */
    private static float[] constantImages(int count) {
        float[] pixels = new float[count * SHAPE.size()];
        for (int i = 0; i < count; i++) {
            Arrays.fill(pixels, i * SHAPE.size(), (i + 1) * SHAPE.size(), i + 1);
        }
        return pixels;
    }

    @Test
    void mixupBlendsEachImageWithItsPartnerFromTheOtherEnd() {
        float[] pixels = constantImages(4);
        Mixing mixupOnly = new Mixing(0.8, 0, 0);

        float lambda = mixupOnly.mix(pixels, new float[pixels.length], 4, SHAPE, new Random(1));

        assertTrue(lambda > 0 && lambda < 1, "lambda " + lambda);
        for (int b = 0; b < 4; b++) {
            float expected = lambda * (b + 1) + (1 - lambda) * (4 - b);
            assertEquals(expected, pixels[b * SHAPE.size() + 17], 1e-5, "image " + b);
        }
    }

    @Test
    void cutmixPastesTheBoxOfItsPartnerAndLambdaIsTheAreaLeft() {
        float[] pixels = constantImages(2);
        Mixing cutmixOnly = new Mixing(0, 1.0, 1);

        float lambda = cutmixOnly.mix(pixels, new float[pixels.length], 2, SHAPE, new Random(3));

        int pasted = 0;
        for (int i = 0; i < SHAPE.size(); i++) {
            float own = pixels[i];
            float other = pixels[SHAPE.size() + i];
            assertTrue(own == 1 && other == 2 || own == 2 && other == 1,
                    "each pixel is its own or its partner's, in both images alike");
            pasted += own == 2 ? 1 : 0;
        }
        assertEquals(1 - (float) pasted / SHAPE.size(), lambda, 1e-6);
    }

    @Test
    void theSameSeedMixesTheSameWay() {
        Mixing mixing = Mixing.DEIT3;
        float[] a = constantImages(6);
        float[] b = constantImages(6);
        float la = mixing.mix(a, new float[a.length], 6, SHAPE, new Random(9));
        float lb = mixing.mix(b, new float[b.length], 6, SHAPE, new Random(9));
        assertEquals(la, lb);
        assertArrayEquals(a, b);
    }

    @Test
    void solarisationInvertsTheBrightHalfAndGrayscaleUsesLuma() {
        float[] image = {0.1f, 0.5f, 0.9f};
        ThreeAugment.solarize(image);
        assertArrayEquals(new float[] {0.1f, 0.5f, 0.1f}, image, 1e-6f);

        ImageShape rgb = new ImageShape(3, 1, 1);
        float[] pixel = {1f, 0f, 0f};
        ThreeAugment.grayscale(pixel, rgb);
        assertArrayEquals(new float[] {0.299f, 0.299f, 0.299f}, pixel, 1e-6f);
    }

    @Test
    void blurKeepsTheMeanAndSpreadsAPoint() {
        float[] image = new float[SHAPE.size()];
        image[3 * 8 + 3] = 1f;
        ThreeAugment.blur(image, SHAPE, 1.0);
        double sum = 0;
        for (float v : image) {
            sum += v;
        }
        assertEquals(1.0, sum, 1e-4, "a point far from the edges keeps its mass");
        assertTrue(image[3 * 8 + 3] < 0.2f && image[3 * 8 + 4] > 0.05f, Arrays.toString(image));
    }

    @Test
    void deit3BatchesAreSeededAndMixed() {
        LabeledImages images = SyntheticImages.generate(64, SHAPE, 10, 1, 2);
        Augmentation deit3 = new Augmentation(1, true).withThreeAugmentAndMixing(Mixing.DEIT3);
        Normalization identity = new Normalization(new float[] {0f}, new float[] {1f});
        Batch first = Batches.training(images, new ImagePipeline(SHAPE, identity, deit3), 16, 4, 0,
                1).next();
        float[] firstPixels = first.pixels().clone();
        Batch again = Batches.training(images, new ImagePipeline(SHAPE, identity, deit3), 16, 4, 0,
                2).next();
        assertArrayEquals(firstPixels, again.pixels());
        assertEquals(first.mixWeight(), again.mixWeight());
        assertTrue(first.isMixed());
        Batch plain = Batches.training(images,
                new ImagePipeline(SHAPE, identity, new Augmentation(1, true)), 16, 4, 0, 1).next();
        assertNotEquals(Arrays.toString(firstPixels), Arrays.toString(plain.pixels()));
    }
}
