package dev.cosub.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cosub.runtime.model.ImageShape;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ImagePipelineTest {

    private static ImagePipeline raw(int channels, int size) {
        float[] zero = new float[channels];
        float[] one = new float[channels];
        java.util.Arrays.fill(one, 1f / 255f);
        return new ImagePipeline(new ImageShape(channels, size, size),
                new Normalization(zero, one), Augmentation.NONE);
    }

    private static Raster grey(int width, int height) {
        byte[] pixels = new byte[width * height];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) i;
        }
        return new Raster(1, height, width, pixels);
    }

    private static float[] evaluate(ImagePipeline pipeline, Raster image) {
        float[] out = new float[pipeline.output().size()];
        pipeline.evaluation(image, new float[out.length], out, 0);
        return out;
    }

    @Test
    void anImageOfTheOutputSizePassesUnchanged() {
        float[] out = evaluate(raw(1, 3), grey(3, 3));
        assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5, 6, 7, 8}, out, 1e-4f);
    }

    @Test
    void evaluationKeepsTheCentreSquareOfTheShorterSide() {
        // 5 wide, 3 high: the centre 3x3 is columns 1 to 3.
        float[] out = evaluate(raw(1, 3), grey(5, 3));
        assertArrayEquals(new float[] {1, 2, 3, 6, 7, 8, 11, 12, 13}, out, 1e-4f);
    }

    @Test
    void halvingAveragesEachTwoByTwoBlock() {
        float[] out = evaluate(raw(1, 2), grey(4, 4));
        // Samples fall between the four pixels of each block: their mean.
        assertArrayEquals(new float[] {2.5f, 4.5f, 10.5f, 12.5f}, out, 1e-4f);
    }

    @Test
    void aGreyImageFillsEveryChannelOfAColourPipeline() {
        float[] out = evaluate(raw(3, 2), grey(2, 2));
        assertArrayEquals(new float[] {0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3}, out, 1e-4f);
    }

    @Test
    void randomResizedWindowsStayInsideWithinTheirAreaAndRatio() {
        Random random = new Random(3);
        for (int i = 0; i < 2000; i++) {
            int width = 20 + random.nextInt(300);
            int height = 20 + random.nextInt(300);
            double[] box = ImagePipeline.randomResizedBox(width, height, random);
            assertTrue(box[0] >= 0 && box[1] >= 0 && box[0] + box[2] <= width
                    && box[1] + box[3] <= height, java.util.Arrays.toString(box));
            double ratio = box[2] / box[3];
            double area = box[2] * box[3] / (width * height);
            boolean fallback = area > 0.999 || ratio <= ImagePipeline.MIN_RATIO + 1e-9
                    || ratio >= ImagePipeline.MAX_RATIO - 1e-9;
            assertTrue(fallback || (area >= 0.07 && ratio > 0.7 && ratio < 1.4),
                    width + "x" + height + " " + java.util.Arrays.toString(box));
        }
    }

    @Test
    void aVeryWideImageFallsBackToTheCentreWithinTheRatio() {
        double[] box = ImagePipeline.randomResizedBox(1000, 10, new Random(0) {
            @Override
            public double nextDouble() {
                return 0.999;
            }
        });
        assertArrayEquals(new double[] {(1000 - 13) / 2.0, 0, 13, 10}, box, 1e-9);
    }

    @Test
    void trainingCropsToTheOutputSize() {
        ImagePipeline pipeline = raw(1, 8).withAugmentation(Augmentation.randomResized(true));
        float[] out = new float[64];
        pipeline.training(grey(40, 30), new Random(1), new float[64], out, 0);
        for (float value : out) {
            assertTrue(value >= 0 && value <= 255, "value " + value);
        }
        assertEquals(64, out.length);
    }
}
