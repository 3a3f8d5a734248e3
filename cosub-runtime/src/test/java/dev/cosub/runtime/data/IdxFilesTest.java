package dev.cosub.runtime.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cosub.runtime.io.InvalidDataException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxFilesTest {

    @TempDir
    Path dir;

    static byte[] images(int magic, int count, int rows, int cols, int payloadBytes) {
        ByteBuffer b = ByteBuffer.allocate(16 + payloadBytes);
        b.putInt(magic).putInt(count).putInt(rows).putInt(cols);
        for (int i = 0; i < payloadBytes; i++) {
            b.put((byte) (i * 7));
        }
        return b.array();
    }

    static byte[] labels(int magic, int... values) {
        ByteBuffer b = ByteBuffer.allocate(8 + values.length);
        b.putInt(magic).putInt(values.length);
        for (int v : values) {
            b.put((byte) v);
        }
        return b.array();
    }

    static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(out)) {
            gz.write(raw);
        }
        return out.toByteArray();
    }

    private Path write(String name, byte[] content) throws IOException {
        return Files.write(dir.resolve(name), content);
    }

    @Test
    void readsRawAndGzippedFilesAlike() throws IOException {
        byte[] img = images(0x803, 3, 2, 2, 12);
        byte[] lab = labels(0x801, 4, 9, 0);
        LabeledImages raw = IdxFiles.read(write("i", img), write("l", lab));
        LabeledImages gz = IdxFiles.read(write("i.gz", gzip(img)), write("l.gz", gzip(lab)));
        for (LabeledImages set : Arrays.asList(raw, gz)) {
            assertEquals(3, set.count());
            assertEquals("1x2x2", set.shape().toString());
            assertEquals(9, set.label(1));
            // pixel (image 1, y 1, x 0) is byte 4 + 2 = 6 of the payload: 6 * 7 = 42
            assertEquals(42, set.pixel(1, 0, 1, 0));
        }
    }

    /** Fashion-MNIST's labels by their published names, so that predictions say what they are. */
    @Test
    void fashionMnistNamesItsClasses() {
        List<String> names = Datasets.load("fashion-mnist", null, 100, 0).classNames();
        assertEquals(10, names.size());
        assertEquals("T-shirt/top", names.get(0));
        assertEquals("Ankle boot", names.get(9));
    }

    @Test
    void bytesAreUnsigned() throws IOException {
        ByteBuffer b = ByteBuffer.allocate(16 + 1).putInt(0x803).putInt(1).putInt(1).putInt(1);
        b.put((byte) 250);
        LabeledImages set = IdxFiles.read(write("i", b.array()), write("l", labels(0x801, 200)));
        assertEquals(250, set.pixel(0, 0, 0, 0));
        assertEquals(200, set.label(0));
    }

    @Test
    void missingFileIsNamed() throws IOException {
        Path labels = write("l", labels(0x801, 1));
        InvalidDataException e = assertThrows(InvalidDataException.class,
                () -> IdxFiles.read(dir.resolve("nope-images"), labels));
        assertTrue(e.getMessage().contains("nope-images") && e.getMessage().contains("not found"),
                e.getMessage());
    }

    @Test
    void truncatedPayloadIsReported() throws IOException {
        Path img = write("short-images", images(0x803, 3, 2, 2, 10));
        Path lab = write("l", labels(0x801, 1, 2, 3));
        InvalidDataException e = assertThrows(InvalidDataException.class, () -> IdxFiles.read(img, lab));
        assertTrue(e.getMessage().contains("short-images") && e.getMessage().contains("truncated"),
                e.getMessage());
    }

    @Test
    void truncatedGzipIsReported() throws IOException {
        byte[] gz = gzip(images(0x803, 3, 2, 2, 12));
        Path img = write("cut.gz", Arrays.copyOf(gz, gz.length / 2));
        Path lab = write("l", labels(0x801, 1, 2, 3));
        InvalidDataException e = assertThrows(InvalidDataException.class, () -> IdxFiles.read(img, lab));
        assertTrue(e.getMessage().contains("cut.gz"), e.getMessage());
    }

    @Test
    void wrongMagicNumberIsReported() throws IOException {
        // A label file given where images are expected.
        Path img = write("swapped", labels(0x801, 1, 2));
        Path lab = write("l", labels(0x801, 1, 2));
        InvalidDataException e = assertThrows(InvalidDataException.class, () -> IdxFiles.read(img, lab));
        assertTrue(e.getMessage().contains("swapped") && e.getMessage().contains("magic")
                && e.getMessage().contains("0x00000803"), e.getMessage());
    }

    @Test
    void countMismatchNamesBothFiles() throws IOException {
        Path img = write("img", images(0x803, 3, 2, 2, 12));
        Path lab = write("lab", labels(0x801, 1, 2));
        InvalidDataException e = assertThrows(InvalidDataException.class, () -> IdxFiles.read(img, lab));
        assertTrue(e.getMessage().contains("3 images") && e.getMessage().contains("2 labels")
                && e.getMessage().contains("img") && e.getMessage().contains("lab"), e.getMessage());
    }

    @Test
    void missingDatasetDirectoryTellsWhatItShouldHold() throws IOException {
        InvalidDataException e = assertThrows(InvalidDataException.class,
                () -> Datasets.load("fashion-mnist", dir.resolve("absent"), 0, 0));
        assertTrue(e.getMessage().contains("absent") && e.getMessage().contains("does not exist")
                && e.getMessage().contains("train-images-idx3-ubyte"), e.getMessage());
        assertFalse(e.getMessage().contains("dataset-fashion-mnist"),
                "the Debian package does not fill a directory of the user's: " + e.getMessage());
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        InvalidDataException notDirectory = assertThrows(InvalidDataException.class,
                () -> Datasets.load("fashion-mnist", file, 0, 0));
        assertTrue(notDirectory.getMessage().contains(file + " is a file"),
                notDirectory.getMessage());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> Datasets.load("imagenet", null, 0, 0));
        assertTrue(unknown.getMessage().contains("imagenet"), unknown.getMessage());
    }
}
