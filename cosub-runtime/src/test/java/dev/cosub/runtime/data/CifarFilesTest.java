package dev.cosub.runtime.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cosub.runtime.io.InvalidDataException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CIFAR's binary format on files the test writes. */
class CifarFilesTest {

    @TempDir
    Path root;

    /**
     * {@code count} records; record r has label {@code (first + r) % classes} (CIFAR-100: fine
     * label, coarse label 19 - fine / 5) and red = r, green = 100 + r, blue = 200 + r with the
     * pixel (0, 1) of red set to 7.
     */
    static byte[] records(int labelBytes, int count, int first, int classes) {
        int size = labelBytes + 3072;
        byte[] bytes = new byte[count * size];
        for (int r = 0; r < count; r++) {
            int start = r * size;
            int label = (first + r) % classes;
            if (labelBytes == 2) {
                bytes[start] = (byte) (19 - label / 5);
            }
            bytes[start + labelBytes - 1] = (byte) label;
            for (int c = 0; c < 3; c++) {
                for (int p = 0; p < 1024; p++) {
                    bytes[start + labelBytes + c * 1024 + p] = (byte) (100 * c + r);
                }
            }
            bytes[start + labelBytes + 1] = 7;
        }
        return bytes;
    }

    /** CIFAR-10 as its archive unpacks: five training batches of 3 and a test batch of 2. */
    static Path cifar10(Path dir) throws IOException {
        Path files = Files.createDirectories(dir.resolve("cifar-10-batches-bin"));
        for (int b = 1; b <= 5; b++) {
            Files.write(files.resolve("data_batch_" + b + ".bin"), records(1, 3, 3 * b, 10));
        }
        Files.write(files.resolve("test_batch.bin"), records(1, 2, 0, 10));
        Files.writeString(files.resolve("batches.meta.txt"), "airplane\nautomobile\nbird\ncat\n"
                + "deer\ndog\nfrog\nhorse\nship\ntruck\n\n");
        return dir;
    }

    @Test
    void cifar10LoadsFromItsArchiveFolderWithPlanesInOrder() throws IOException {
        ImageDataset data = Datasets.load("cifar10", cifar10(root), 0, 0);
        assertEquals(15, data.train().count());
        assertEquals(2, data.test().count());
        assertEquals("3x32x32", data.shape().toString());
        assertEquals("airplane", data.classNames().get(0));
        assertEquals("truck", data.classNames().get(9));
        assertEquals(3, data.train().label(0), "batch 1 starts at label 3");
        assertEquals(7, data.train().label(14), "batch 5, record 2: 15 + 2");
        Raster image = data.train().read(4);
        assertEquals(1, image.pixel(0, 5, 5), "red plane first");
        assertEquals(101, image.pixel(1, 5, 5));
        assertEquals(201, image.pixel(2, 5, 5));
        assertEquals(7, image.pixel(0, 0, 1));
        assertEquals(0.4914f, data.normalization().mean()[0]);
        assertEquals(4, data.augmentation().padding());
    }

    @Test
    void cifar100UsesTheFineLabels() throws IOException {
        Files.write(root.resolve("train.bin"), records(2, 6, 95, 100));
        Files.write(root.resolve("test.bin"), records(2, 1, 42, 100));
        ImageDataset data = Datasets.load("cifar100", root, 0, 0);
        assertEquals(100, data.classes());
        assertEquals(95, data.train().label(0));
        assertEquals(0, data.train().label(5));
        assertEquals(42, data.test().label(0));
        assertEquals(0, data.train().read(0).pixel(0, 3, 3));
        assertEquals("99", data.classNames().get(99), "no names file: numbered");
    }

    @Test
    void aTruncatedFileIsNamed() throws IOException {
        cifar10(root);
        Path batch = root.resolve("cifar-10-batches-bin/data_batch_3.bin");
        byte[] bytes = Files.readAllBytes(batch);
        Files.write(batch, java.util.Arrays.copyOf(bytes, bytes.length - 100));
        InvalidDataException e = assertThrows(InvalidDataException.class,
                () -> Datasets.load("cifar10", root, 0, 0));
        assertTrue(e.getMessage().contains("data_batch_3.bin")
                && e.getMessage().contains("3073-byte"), e.getMessage());
    }

    @Test
    void aLabelOutOfRangeIsNamedWithItsRecord() throws IOException {
        cifar10(root);
        Path test = root.resolve("cifar-10-batches-bin/test_batch.bin");
        byte[] bytes = Files.readAllBytes(test);
        bytes[3073] = 12;
        Files.write(test, bytes);
        InvalidDataException e = assertThrows(InvalidDataException.class,
                () -> Datasets.load("cifar10", root, 0, 0));
        assertTrue(e.getMessage().contains("test_batch.bin: record 1 has label 12"),
                e.getMessage());
    }

    @Test
    void missingFilesAndDirectoriesAreNamedBeforeLoading() throws IOException {
        cifar10(root);
        Files.delete(root.resolve("cifar-10-batches-bin/data_batch_5.bin"));
        InvalidDataException e = assertThrows(InvalidDataException.class,
                () -> Datasets.checkAvailable(DataSpec.of("cifar10", root), message -> { }));
        assertTrue(e.getMessage().contains("data_batch_5.bin"), e.getMessage());
        InvalidDataException none = assertThrows(InvalidDataException.class,
                () -> Datasets.checkAvailable(DataSpec.of("cifar100", null), message -> { }));
        assertTrue(none.getMessage().contains("set dataDirectory")
                && none.getMessage().contains("dataUrl"), none.getMessage());
    }

    @Test
    void normalisationCanBeGivenAndMustMatchTheChannels() throws IOException {
        cifar10(root);
        ImageDataset data = Datasets.load(new DataSpec("cifar10", root, null, null, null, 0,
                "0.5,0.5,0.5/0.2,0.2,0.2", 0, 0, 1), message -> { });
        assertEquals(0.2f, data.normalization().std()[1]);
        IllegalArgumentException grey = assertThrows(IllegalArgumentException.class,
                () -> Datasets.load(new DataSpec("cifar10", root, null, null, null, 0,
                        "0.5/0.2", 0, 0, 1), message -> { }));
        assertTrue(grey.getMessage().contains("1 channels but the images have 3"),
                grey.getMessage());
        IllegalArgumentException syntax = assertThrows(IllegalArgumentException.class,
                () -> Normalization.parse("0.5,0.5"));
        assertTrue(syntax.getMessage().startsWith("normalization = 0.5,0.5 is invalid"),
                syntax.getMessage());
    }

    @Test
    void imageSizeResizesInMemoryDataAndScalesTheCrop() throws IOException {
        cifar10(root);
        ImageDataset data = Datasets.load(new DataSpec("cifar10", root, null, null, null, 64,
                null, 0, 0, 1), message -> { });
        assertEquals("3x64x64", data.shape().toString());
        assertEquals(8, data.augmentation().padding());
    }
}
