package dev.cosub.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cosub.runtime.io.InvalidDataException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Image folders written by the test: PNG and JPEG, grey and colour, and each bad case. */
class ImageFolderTest {

    @TempDir
    Path root;

    private final List<String> log = new ArrayList<>();

    /** A grey PNG whose pixel (y, x) is {@code base + 10 * y + x}. */
    static void greyPng(Path file, int size, int base) throws IOException {
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                image.getRaster().setSample(x, y, 0, (base + 10 * y + x) & 0xFF);
            }
        }
        write(image, "png", file);
    }

    /** A colour image of one RGB colour. */
    static void colour(Path file, String format, int width, int height, int rgb)
            throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, rgb);
            }
        }
        write(image, format, file);
    }

    /** A 64x64 image of seeded noise: its pixel data is most of the file. */
    private static void noise(Path file, String format) throws IOException {
        BufferedImage image = new BufferedImage(64, 64, BufferedImage.TYPE_3BYTE_BGR);
        java.util.Random random = new java.util.Random(1);
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                image.setRGB(x, y, random.nextInt(0x1000000));
            }
        }
        write(image, format, file);
    }

    private static void write(BufferedImage image, String format, Path file) throws IOException {
        Files.createDirectories(file.getParent());
        assertTrue(ImageIO.write(image, format, file.toFile()), "no writer for " + format);
    }

    /** train/{coat: 3, bag: 2}, val/{coat: 1, bag: 1}, grey 4x4 PNGs. */
    private void greyFolder() throws IOException {
        for (int i = 0; i < 3; i++) {
            greyPng(root.resolve("train/coat/" + i + ".png"), 4, 100 + i);
        }
        for (int i = 0; i < 2; i++) {
            greyPng(root.resolve("train/bag/" + i + ".PNG"), 4, 50 + i);
        }
        greyPng(root.resolve("val/coat/0.png"), 4, 7);
        greyPng(root.resolve("val/bag/0.png"), 4, 8);
    }

    private ImageFolders.Scan scan() {
        return ImageFolders.scan(root, 2, log::add);
    }

    @Test
    void classesAreTheSortedFoldersAndPixelsArriveExactly() throws IOException {
        greyFolder();
        Files.writeString(root.resolve("train/coat/notes.txt"), "not an image");
        ImageFolders.Scan scan = scan();
        assertEquals(List.of("bag", "coat"), scan.classes());
        assertEquals(1, scan.channels());
        assertEquals(4, scan.commonSize());
        assertEquals(5, scan.train().count());
        assertEquals(2, scan.test().count());
        int[] labels = new int[5];
        for (int i = 0; i < 5; i++) {
            labels[i] = scan.train().label(i);
        }
        assertArrayEquals(new int[] {0, 0, 1, 1, 1}, labels);
        Raster coat2 = scan.train().read(4);
        assertEquals(102 + 10 * 3 + 1, coat2.pixel(0, 3, 1));
        assertTrue(String.join("\n", log).contains("skipped 1 file that is not a .png/.jpg/.jpeg"
                + " image in a class folder"), log.toString());
        assertTrue(String.join("\n", log).contains("notes.txt"), log.toString());
    }

    @Test
    void aFolderTrainsAtItsOwnSizeWithAMeasuredNormalisation() throws IOException {
        greyFolder();
        ImageDataset data = Datasets.load(new DataSpec("folder", root, null, null, null, 0, null,
                0, 0, 1), log::add);
        assertEquals("1x4x4", data.shape().toString());
        assertEquals(List.of("bag", "coat"), data.classNames());
        assertEquals(1, data.augmentation().padding());
        assertTrue(data.augmentation().horizontalFlip());
        // Seven images, pixels 7..139: the measured mean lies between.
        float mean = data.normalization().mean()[0] * 255;
        assertTrue(mean > 40 && mean < 140, "mean " + mean);
        assertEquals(List.of("train/bag", "train/coat", "test/bag", "test/coat"),
                data.parts().stream().map(DataPart::role).toList());
        assertEquals(root.resolve("val/bag"), data.parts().get(2).path());
        assertEquals(List.of(2, 3, 1, 1),
                data.parts().stream().map(part -> part.images().size()).toList());
        assertTrue(data.parts().get(0).sha256().matches("[0-9a-f]{64}"));
    }

    @Test
    void greyImagesAmongColourOnesAreReadAsRgbAndSaid() throws IOException {
        colour(root.resolve("train/red/0.jpg"), "jpg", 12, 10, 0xFF0000);
        greyPng(root.resolve("train/red/1.png"), 10, 60);
        colour(root.resolve("train/blue/0.jpeg"), "jpeg", 9, 9, 0x0000FF);
        colour(root.resolve("test/blue/0.png"), "png", 10, 10, 0x0000FF);
        ImageFolders.Scan scan = scan();
        assertEquals(3, scan.channels());
        assertEquals(0, scan.commonSize(), "the sizes differ");
        assertTrue(String.join("\n", log).contains("1 of 4 images are grey"), log.toString());
        Raster grey = scan.train().read(2);
        assertEquals(3, grey.channels());
        assertEquals(grey.pixel(0, 2, 3), grey.pixel(1, 2, 3));
        assertEquals(grey.pixel(0, 2, 3), grey.pixel(2, 2, 3));
        Raster red = scan.train().read(1);
        assertTrue(red.pixel(0, 5, 5) > 240 && red.pixel(1, 5, 5) < 15
                && red.pixel(2, 5, 5) < 15, "JPEG red stays red, channels in RGB order");
        Raster blue = scan.test().read(0);
        assertEquals(255, blue.pixel(2, 0, 0));
        assertEquals(0, blue.pixel(0, 0, 0));

        IllegalArgumentException noSize = assertThrows(IllegalArgumentException.class,
                () -> Datasets.load(new DataSpec("folder", root, null, null, null, 0, null, 0, 0,
                        1), log::add));
        assertTrue(noSize.getMessage().contains("imageSize"), noSize.getMessage());
        ImageDataset data = Datasets.load(new DataSpec("folder", root, null, null, null, 16,
                "imagenet", 0, 0, 1), log::add);
        assertEquals("3x16x16", data.shape().toString());
        try (Batches batches = Batches.training(data.train(), data.pipeline(), 2, 0, 0, 2)) {
            Batch batch = batches.next();
            assertEquals(2, batch.size());
        }
    }

    @Test
    void largeImagesGetARandomResizedCrop() throws IOException {
        colour(root.resolve("train/a/0.jpg"), "jpg", 80, 70, 0x336699);
        colour(root.resolve("val/a/0.jpg"), "jpg", 80, 70, 0x336699);
        ImageDataset data = Datasets.load(new DataSpec("folder", root, null, null, null, 64,
                null, 0, 0, 1), log::add);
        assertTrue(data.augmentation().randomResizedCrop());
    }

    @Test
    void anEmptyClassIsRefusedByName() throws IOException {
        greyFolder();
        Files.createDirectories(root.resolve("train/shirt"));
        InvalidDataException e = assertThrows(InvalidDataException.class, this::scan);
        assertTrue(e.getMessage().contains("train/shirt") && e.getMessage().contains("no"
                + " images"), e.getMessage());
    }

    @Test
    void aValidationClassMissingFromTrainingIsRefused() throws IOException {
        greyFolder();
        greyPng(root.resolve("val/shirt/0.png"), 4, 1);
        InvalidDataException e = assertThrows(InvalidDataException.class, this::scan);
        assertTrue(e.getMessage().contains("val/shirt") && e.getMessage().contains("[bag, coat]"),
                e.getMessage());
    }

    @Test
    void unreadableImagesAreNamedBeforeTraining() throws IOException {
        greyFolder();
        Files.write(root.resolve("train/coat/broken.png"), new byte[] {1, 2, 3, 4, 5, 6, 7});
        Files.writeString(root.resolve("val/bag/fake.jpg"), "<html>not found</html>");
        InvalidDataException e = assertThrows(InvalidDataException.class, this::scan);
        assertTrue(e.getMessage().contains("2 of 9 images cannot be read"), e.getMessage());
        assertTrue(e.getMessage().contains("broken.png") && e.getMessage().contains("fake.jpg"),
                e.getMessage());
    }

    @Test
    void aTruncatedImageFailsWhenReadNamingIt() throws IOException {
        greyFolder();
        noise(root.resolve("train/coat/big.jpg"), "jpg");
        noise(root.resolve("train/bag/big.png"), "png");
        for (String name : List.of("train/coat/big.jpg", "train/bag/big.png")) {
            Path file = root.resolve(name);
            byte[] whole = Files.readAllBytes(file);
            Files.write(file, Arrays.copyOf(whole, whole.length / 2));
        }
        ImageFolders.Scan scan = scan();
        for (int i = 0; i < scan.train().count(); i++) {
            String name = scan.train().file(i).getFileName().toString();
            if (name.startsWith("big")) {
                int index = i;
                InvalidDataException e = assertThrows(InvalidDataException.class,
                        () -> scan.train().read(index));
                assertTrue(e.getMessage().contains(name), e.getMessage());
            }
        }
    }

    @Test
    void missingSplitsAreRefused() throws IOException {
        greyPng(root.resolve("train/a/0.png"), 4, 0);
        InvalidDataException noVal = assertThrows(InvalidDataException.class, this::scan);
        assertTrue(noVal.getMessage().contains("no val/ or test/"), noVal.getMessage());
        InvalidDataException noTrain = assertThrows(InvalidDataException.class,
                () -> ImageFolders.scan(root.resolve("train"), 1, log::add));
        assertTrue(noTrain.getMessage().contains("no train/ folder"), noTrain.getMessage());
        InvalidDataException absent = assertThrows(InvalidDataException.class,
                () -> Datasets.checkAvailable(DataSpec.of("folder", root.resolve("nowhere")),
                        log::add));
        assertTrue(absent.getMessage().contains("does not exist"), absent.getMessage());
    }

    @Test
    void theListingHashFollowsNamesAndSizesNotTheLocation(@TempDir Path other)
            throws IOException {
        greyFolder();
        String before = scan().parts().get(1).sha256();
        greyPng(other.resolve("train/coat/0.png"), 4, 100);
        assertEquals(ImageFolders.listingSha256(root, List.of(root.resolve("train/coat/0.png"))),
                ImageFolders.listingSha256(other, List.of(other.resolve("train/coat/0.png"))));
        greyPng(root.resolve("train/coat/9.png"), 4, 1);
        assertNotEquals(before, scan().parts().get(1).sha256());
    }

    @Test
    void hiddenFoldersAreNoClassesAndLooseFilesAreNamedAsSuch() throws IOException {
        greyFolder();
        Files.createDirectories(root.resolve("train/.git/objects"));
        Files.writeString(root.resolve("train/.git/HEAD"), "ref: refs/heads/main");
        Files.writeString(root.resolve("train/README.txt"), "about");
        ImageFolders.Scan scan = scan();
        assertEquals(List.of("bag", "coat"), scan.classes());
        assertTrue(log.contains("folder: skipped 2 files outside the class folders (hidden"
                + " folders and files directly in train/ or val/), e.g. "
                + root.resolve("train/.git") + ", " + root.resolve("train/README.txt")),
                log.toString());
    }
}
