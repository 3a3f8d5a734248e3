package dev.cosub.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cosub.runtime.data.Datasets;
import dev.cosub.runtime.data.ImageDataset;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The standard-size path: a published architecture (ViT-Ti, 5.7M parameters) trains on 224x224
 * crops of JPEG photos of another size read from an image folder, with cosub.
 */
@Tag("slow") // trains a standard-size network
class StandardSizeFolderTest {

    @Test
    void vitTinyTrainsOnRandomResizedCropsOfAJpegFolder(@TempDir Path root) throws Exception {
        Random random = new Random(5);
        for (String split : new String[] {"train", "val"}) {
            for (String name : new String[] {"dark", "light"}) {
                for (int i = 0; i < (split.equals("train") ? 4 : 2); i++) {
                    BufferedImage image = new BufferedImage(300, 250,
                            BufferedImage.TYPE_3BYTE_BGR);
                    int base = name.equals("dark") ? 40 : 200;
                    for (int y = 0; y < 250; y++) {
                        for (int x = 0; x < 300; x++) {
                            int v = base + random.nextInt(40) - 20;
                            image.setRGB(x, y, v << 16 | (v / 2) << 8 | (255 - v));
                        }
                    }
                    Path file = root.resolve(split).resolve(name).resolve(i + ".jpg");
                    Files.createDirectories(file.getParent());
                    ImageIO.write(image, "jpg", file.toFile());
                }
            }
        }
        RunConfig config = RunConfig.builder().architecture("vit").size("tiny").dataset("folder")
                .dataDirectory(root).imageSize(224).normalization("imagenet").epochs(1)
                .batchSize(4).device("cpu").build();
        ImageDataset data = Datasets.load(config.dataSpec(), System.out::println);
        assertEquals("3x224x224", data.shape().toString());
        assertTrue(data.augmentation().randomResizedCrop());

        RunResult result = new Training(config, data,
                ProgressListener.lines(System.out::println)).run();

        assertEquals(1, result.epochs().size());
        assertTrue(Double.isFinite(result.epochs().get(0).trainLoss()));
        assertEquals(4, result.test().images());
        assertEquals(5_524_802, result.parameters(), "ViT-Ti (5,717,416) with a 2-class head");
        System.out.printf("ViT-Ti cosub, 224x224, batch 4: %.2f img/s%n",
                result.throughput().imagesPerSecond());
    }
}
