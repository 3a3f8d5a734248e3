package dev.cosub.runtime.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A folder whose decoded images are several times the JVM's heap streams through a training
 * epoch: only the batches in flight are held, never the dataset.
 */
@Tag("slow") // trains through a folder larger than the heap
class StreamingTest {

    private static final int IMAGES = 400;
    private static final int WIDTH = 480;
    private static final int HEIGHT = 360;
    private static final int HEAP_MIB = 48;

    @Test
    void aFolderLargerThanTheHeapTrainsThroughAnEpoch(@TempDir Path root) throws Exception {
        Random random = new Random(11);
        for (int i = 0; i < IMAGES + 8; i++) {
            String split = i < IMAGES ? "train" : "val";
            Path file = root.resolve(split).resolve(i % 2 == 0 ? "even" : "odd")
                    .resolve(i + ".jpg");
            Files.createDirectories(file.getParent());
            BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_3BYTE_BGR);
            random.nextBytes(((DataBufferByte) image.getRaster().getDataBuffer()).getData());
            ImageIO.write(image, "jpg", file.toFile());
        }
        long decodedBytes = (long) IMAGES * WIDTH * HEIGHT * 3;
        assertTrue(decodedBytes > (4L * HEAP_MIB << 20),
                "the decoded training images (" + (decodedBytes >> 20) + " MiB) dwarf the heap");

        Process child = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + HEAP_MIB + "m", "-cp", System.getProperty("java.class.path"),
                Child.class.getName(), root.toString())
                .redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(),
                StandardCharsets.UTF_8);
        assertTrue(child.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, child.exitValue(), output);
        assertTrue(output.contains("streamed " + IMAGES + " images"), output);
    }

    /** One training epoch of batches of 8 at 224x224 with 2 threads: 4 buffers of 4.8 MB. */
    public static final class Child {
        public static void main(String[] args) throws IOException {
            ImageDataset data = Datasets.load(new DataSpec("folder", Path.of(args[0]), null, null,
                    null, 224, "imagenet", 0, 0, 2), message -> { });
            int images = 0;
            try (Batches batches = Batches.training(data.train(), data.pipeline(), 8, 0, 0, 2)) {
                while (batches.hasNext()) {
                    images += batches.next().size();
                }
            }
            System.out.println("streamed " + images + " images with a heap of "
                    + (Runtime.getRuntime().maxMemory() >> 20) + " MiB");
        }
    }
}
