package dev.cosub.runtime.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cosub.runtime.data.DataSpec;
import dev.cosub.runtime.data.Datasets;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Data matched part by part, wherever it lies: what the accuracy gate relies on. */
class TrainingDataTest {

    @TempDir
    Path dir;

    @Test
    void aCopiedFolderMatchesAndAnExtraOrMissingImageIsNamedByItsClassFolder() throws Exception {
        Path original = dir.resolve("images");
        folder(original);
        Path copy = dir.resolve("copied");
        folder(copy);
        List<RunRecord.DataFile> trained = parts(original);
        assertEquals(List.of(), TrainingData.differences(trained, parts(copy)),
                "the same images in another folder are the same data");

        png(copy.resolve("val/coat/extra.png"), 9);
        List<String> extra = TrainingData.differences(trained, parts(copy));
        assertEquals(1, extra.size(), extra.toString());
        assertTrue(extra.get(0).startsWith("test/coat: " + copy.resolve("val/coat")
                + " (3 images, listing SHA-256 "), extra.get(0));
        assertTrue(extra.get(0).contains("differs from the run's " + original.resolve("val/coat")
                + " (2 images, listing SHA-256 "), extra.get(0));

        png(copy.resolve("val/hat/0.png"), 1);
        png(copy.resolve("train/hat/0.png"), 1);
        Files.delete(copy.resolve("val/coat/extra.png"));
        assertEquals(List.of("train/hat: " + copy.resolve("train/hat") + " is not part of the"
                        + " data the run was trained on",
                "test/hat: " + copy.resolve("val/hat") + " is not part of the data the run was"
                        + " trained on"),
                TrainingData.differences(trained, parts(copy)));
        assertEquals(List.of("train/hat: the run's " + copy.resolve("train/hat") + " has no"
                        + " counterpart in the data given",
                "test/hat: the run's " + copy.resolve("val/hat") + " has no counterpart in the"
                        + " data given"),
                TrainingData.differences(parts(copy), trained));
    }

    @Test
    void anOlderRecordsFilesAreMatchedByTheirNames() {
        String hash = "a".repeat(64);
        List<RunRecord.DataFile> old = List.of(
                new RunRecord.DataFile(null, "/a/t10k-labels-idx1-ubyte", hash, null, null));
        List<RunRecord.DataFile> now = List.of(new RunRecord.DataFile("t10k-labels-idx1-ubyte",
                "/b/t10k-labels-idx1-ubyte", hash, null, null));
        assertEquals(List.of(), TrainingData.differences(old, now));

        List<RunRecord.DataFile> oldCompressed = List.of(new RunRecord.DataFile(null,
                "/a/t10k-labels-idx1-ubyte.gz", "b".repeat(64), null, null));
        assertEquals(1, TrainingData.differences(oldCompressed, now).size(),
                "an older record never hashed the decompressed content: no match can be shown");

        List<RunRecord.DataFile> oldFolder = List.of(
                new RunRecord.DataFile(null, "/a/images (listing)", hash, null, null));
        assertEquals("whole folder listing", oldFolder.get(0).roleOrDerived());
    }

    private static List<RunRecord.DataFile> parts(Path folder) {
        return TrainingData.of(Datasets.load(new DataSpec("folder", folder, null, null, null, 0,
                "0.5/0.25", 0, 0, 1), line -> { }));
    }

    /** train/{bag: 2, coat: 2}, val/{bag: 1, coat: 2}. */
    private static void folder(Path root) throws Exception {
        for (String file : List.of("train/bag/0", "train/bag/1", "train/coat/0", "train/coat/1",
                "val/bag/0", "val/coat/0", "val/coat/1")) {
            png(root.resolve(file + ".png"), file.length());
        }
    }

    private static void png(Path file, int value) throws Exception {
        BufferedImage image = new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_GRAY);
        image.getRaster().setSample(1, 1, 0, value);
        Files.createDirectories(file.getParent());
        ImageIO.write(image, "png", file.toFile());
    }
}
