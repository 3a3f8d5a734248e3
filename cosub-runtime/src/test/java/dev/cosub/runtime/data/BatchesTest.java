package dev.cosub.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.cosub.runtime.model.ImageShape;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class BatchesTest {

    private static final Normalization IDENTITY =
            new Normalization(new float[] {0f}, new float[] {1f / 255f});

    /** Image i is a 3x3 ramp whose pixel (y, x) is 10 * i + 3 * y + x. */
    private static LabeledImages ramps(int count) {
        ImageShape shape = new ImageShape(1, 3, 3);
        byte[] pixels = new byte[count * 9];
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            labels[i] = i % 10;
            for (int p = 0; p < 9; p++) {
                pixels[i * 9 + p] = (byte) (10 * i + p);
            }
        }
        return new LabeledImages(shape, pixels, labels);
    }

    @Test
    void sameSeedAndEpochGiveTheSameOrderAndAugmentation() {
        LabeledImages images = ramps(20);
        Augmentation aug = new Augmentation(1, true);
        Batches a = Batches.training(images, 4, IDENTITY, aug, 42, 3);
        Batches b = Batches.training(images, 4, IDENTITY, aug, 42, 3);
        assertArrayEquals(a.order(), b.order());
        while (a.hasNext()) {
            assertArrayEquals(a.next().pixels(), b.next().pixels());
        }
        assertFalse(Arrays.equals(a.order(), Batches.training(images, 4, IDENTITY, aug, 42, 4).order()),
                "each epoch gets its own order");
        assertFalse(Arrays.equals(a.order(), Batches.training(images, 4, IDENTITY, aug, 43, 3).order()),
                "each seed gets its own order");
    }

    @Test
    void everyImageIsVisitedOnceWithAPartialLastBatch() {
        Batches batches = Batches.training(ramps(10), 4, IDENTITY, Augmentation.NONE, 1, 0);
        int[] sizes = new int[3];
        int seen = 0;
        int k = 0;
        while (batches.hasNext()) {
            Batch batch = batches.next();
            sizes[k++] = batch.size();
            seen += batch.size();
        }
        assertArrayEquals(new int[] {4, 4, 2}, sizes);
        assertEquals(10, seen);
        int[] sorted = batches.order();
        Arrays.sort(sorted);
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, sorted);
        assertEquals(3, Batches.count(10, 4));
    }

    @Test
    void evaluationBatchesAreNormalisedAndUnaugmented() {
        Normalization norm = new Normalization(new float[] {0.5f}, new float[] {0.25f});
        Batch batch = Batches.evaluation(ramps(2), 2, norm).next();
        assertEquals(((10 + 4) / 255f - 0.5f) / 0.25f, batch.pixels()[9 + 4], 1e-6f);
        assertArrayEquals(new int[] {0, 1}, batch.labels());
    }

    @Test
    void cropsShiftWithZeroPaddingAndFlipsMirror() {
        // Padding 1 and flips on a single image: every output must be a shifted and/or mirrored
        // copy of the ramp with zeros where the window leaves the image.
        LabeledImages one = ramps(1);
        for (int epoch = 0; epoch < 30; epoch++) {
            float[] pixels =
                    Batches.training(one, 1, IDENTITY, new Augmentation(1, true), 5, epoch)
                            .next().pixels();
            float[] out = new float[9];
            for (int p = 0; p < 9; p++) {
                out[p] = Math.round(pixels[p]);
            }
            boolean matched = false;
            for (int dy = -1; dy <= 1 && !matched; dy++) {
                for (int dx = -1; dx <= 1 && !matched; dx++) {
                    for (boolean flip : new boolean[] {false, true}) {
                        float[] expected = new float[9];
                        for (int y = 0; y < 3; y++) {
                            for (int x = 0; x < 3; x++) {
                                int sy = y + dy;
                                int sx = (flip ? 2 - x : x) + dx;
                                expected[3 * y + x] = sy >= 0 && sy < 3 && sx >= 0 && sx < 3
                                        ? 3 * sy + sx : 0;
                            }
                        }
                        matched |= Arrays.equals(expected, out);
                    }
                }
            }
            assertEquals(true, matched, "epoch " + epoch + " produced " + Arrays.toString(out));
        }
    }

    @Test
    void subsetsAreSeededAndSized() {
        LabeledImages images = ramps(50);
        LabeledImages a = images.subset(10, 9);
        LabeledImages b = images.subset(10, 9);
        assertEquals(10, a.count());
        for (int i = 0; i < 10; i++) {
            assertEquals(a.pixel(i, 0, 0, 0), b.pixel(i, 0, 0, 0));
        }
        assertEquals(50, images.subset(0, 9).count());
    }
}
