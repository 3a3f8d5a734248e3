package dev.cosub.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.cosub.runtime.io.InvalidDataException;
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

    private static Batches training(LabeledImages images, int batchSize, Normalization norm,
            Augmentation augmentation, long seed, int epoch) {
        return Batches.training(images, new ImagePipeline(images.shape(), norm, augmentation),
                batchSize, seed, epoch, 2);
    }

    @Test
    void sameSeedAndEpochGiveTheSameOrderAndAugmentation() {
        LabeledImages images = ramps(20);
        Augmentation aug = new Augmentation(1, true);
        Batches a = training(images, 4, IDENTITY, aug, 42, 3);
        Batches b = training(images, 4, IDENTITY, aug, 42, 3);
        assertArrayEquals(a.order(), b.order());
        while (a.hasNext()) {
            assertArrayEquals(a.next().pixels(), b.next().pixels());
        }
        assertFalse(Arrays.equals(a.order(), training(images, 4, IDENTITY, aug, 42, 4).order()),
                "each epoch gets its own order");
        assertFalse(Arrays.equals(a.order(), training(images, 4, IDENTITY, aug, 43, 3).order()),
                "each seed gets its own order");
    }

    @Test
    void everyImageIsVisitedOnceWithAPartialLastBatch() {
        Batches batches = training(ramps(10), 4, IDENTITY, Augmentation.NONE, 1, 0);
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
        LabeledImages images = ramps(2);
        Batch batch = Batches.evaluation(images,
                new ImagePipeline(images.shape(), norm, Augmentation.NONE), 2, 1).next();
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
                    training(one, 1, IDENTITY, new Augmentation(1, true), 5, epoch)
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

    /**
     * Batches are prepared on worker threads, each batch from its own seeded generator: one
     * thread or four, the same pixels, labels and mixing in the same order.
     */
    @Test
    void theNumberOfThreadsDoesNotChangeTheBatches() {
        ImageShape shape = new ImageShape(1, 8, 8);
        LabeledImages images = SyntheticImages.generate(100, shape, 10, 1, 2);
        ImagePipeline pipeline = new ImagePipeline(shape, IDENTITY,
                new Augmentation(2, true).withThreeAugmentAndMixing(Mixing.DEIT3));
        for (int epoch = 0; epoch < 2; epoch++) {
            try (Batches one = Batches.training(images, pipeline, 16, 7, epoch, 1);
                    Batches four = Batches.training(images, pipeline, 16, 7, epoch, 4)) {
                while (one.hasNext()) {
                    Batch a = one.next();
                    Batch b = four.next();
                    assertArrayEquals(a.labels(), b.labels());
                    assertEquals(a.mixWeight(), b.mixWeight());
                    assertArrayEquals(Arrays.copyOf(a.pixels(), a.size() * shape.size()),
                            Arrays.copyOf(b.pixels(), b.size() * shape.size()));
                }
                assertFalse(four.hasNext());
            }
        }
    }

    @Test
    void aBatchStaysIntactUntilTheFollowingCall() {
        LabeledImages images = ramps(40);
        try (Batches batches = training(images, 4, IDENTITY, Augmentation.NONE, 3, 0)) {
            Batch first = batches.next();
            float[] copy = first.pixels().clone();
            int[] labels = first.labels().clone();
            // Workers prepare the batches after it meanwhile, in other buffers.
            Thread.onSpinWait();
            assertArrayEquals(copy, first.pixels());
            assertArrayEquals(labels, first.labels());
        }
    }

    @Test
    void aFailingImageFailsTheBatchWithItsMessage() {
        ImageSource broken = new ImageSource() {
            @Override
            public int count() {
                return 8;
            }

            @Override
            public int label(int index) {
                return 0;
            }

            @Override
            public Raster read(int index) {
                throw new InvalidDataException("image " + index + " is damaged");
            }
        };
        ImageShape shape = new ImageShape(1, 3, 3);
        try (Batches batches = Batches.evaluation(broken,
                new ImagePipeline(shape, IDENTITY, Augmentation.NONE), 4, 2)) {
            InvalidDataException e = org.junit.jupiter.api.Assertions.assertThrows(
                    InvalidDataException.class, batches::next);
            assertEquals("image 0 is damaged", e.getMessage());
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
