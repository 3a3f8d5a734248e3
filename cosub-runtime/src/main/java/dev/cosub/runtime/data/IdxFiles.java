package dev.cosub.runtime.data;

import dev.cosub.runtime.io.InvalidDataException;
import dev.cosub.runtime.model.ImageShape;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * Reads the IDX format of MNIST and Fashion-MNIST, gzipped or raw: a big-endian int32 magic
 * number, int32 dimension sizes, then unsigned bytes.
 */
public final class IdxFiles {

    static final int IMAGES_MAGIC = 0x00000803;
    static final int LABELS_MAGIC = 0x00000801;

    private IdxFiles() {}

    /**
     * Reads an image file and its label file.
     *
     * @throws InvalidDataException naming the file when one is missing, truncated, of the wrong
     *     kind, or when the two counts differ
     */
    public static LabeledImages read(Path imagesFile, Path labelsFile) {
        ByteBuffer images = ByteBuffer.wrap(readMaybeGzipped(imagesFile));
        ByteBuffer labels = ByteBuffer.wrap(readMaybeGzipped(labelsFile));

        int imageCount = header(imagesFile, images, IMAGES_MAGIC, "images", 16);
        int rows = images.getInt();
        int cols = images.getInt();
        if (rows < 1 || cols < 1) {
            throw new InvalidDataException(imagesFile + ": image size " + rows + "x" + cols
                    + " is invalid: expected at least one row and one column");
        }
        long expectedPixels = (long) imageCount * rows * cols;
        expectPayload(imagesFile, images, expectedPixels);

        int labelCount = header(labelsFile, labels, LABELS_MAGIC, "labels", 8);
        expectPayload(labelsFile, labels, labelCount);

        if (imageCount == 0) {
            throw new InvalidDataException(imagesFile + ": holds no images");
        }
        if (imageCount != labelCount) {
            throw new InvalidDataException(
                    imagesFile + " holds " + imageCount + " images but " + labelsFile
                            + " holds " + labelCount + " labels");
        }
        byte[] pixels = Arrays.copyOfRange(images.array(), 16, 16 + (int) expectedPixels);
        int[] labelValues = new int[labelCount];
        for (int i = 0; i < labelCount; i++) {
            labelValues[i] = labels.get(8 + i) & 0xFF;
        }
        return new LabeledImages(new ImageShape(1, rows, cols), pixels, labelValues);
    }

    private static int header(Path file, ByteBuffer data, int magic, String kind, int headerBytes) {
        if (data.remaining() < 4) {
            throw new InvalidDataException(
                    file + ": not an IDX file (" + data.remaining() + " bytes, no magic number)");
        }
        int found = data.getInt();
        if (found != magic) {
            throw new InvalidDataException(
                    String.format(
                            "%s: wrong magic number 0x%08X, expected 0x%08X for IDX %s",
                            file, found, magic, kind));
        }
        if (data.capacity() < headerBytes) {
            throw new InvalidDataException(
                    file + ": truncated IDX header (" + data.capacity() + " bytes, expected at least "
                            + headerBytes + ")");
        }
        int count = data.getInt();
        if (count < 0) {
            throw new InvalidDataException(file + ": negative item count " + count);
        }
        return count;
    }

    private static void expectPayload(Path file, ByteBuffer data, long expected) {
        long headerBytes = data.position();
        long found = data.capacity() - headerBytes;
        if (found < expected) {
            throw new InvalidDataException(
                    file + ": truncated, the header promises " + expected + " data bytes but "
                            + found + " follow it");
        }
    }

    private static byte[] readMaybeGzipped(Path file) {
        try {
            byte[] raw = Files.readAllBytes(file);
            boolean gzipped = raw.length >= 2 && (raw[0] & 0xFF) == 0x1F && (raw[1] & 0xFF) == 0x8B;
            if (!gzipped && file.getFileName().toString().endsWith(".gz")) {
                throw new InvalidDataException(file + ": named .gz but not gzip-compressed"
                        + " (it starts with " + raw.length + " bytes that are not a gzip header)");
            }
            if (!gzipped) {
                return raw;
            }
            try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(raw))) {
                ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length * 4);
                in.transferTo(out);
                return out.toByteArray();
            }
        } catch (NoSuchFileException e) {
            throw new InvalidDataException(file + ": file not found", e);
        } catch (IOException e) {
            throw new InvalidDataException(file + ": cannot be read (" + e + ")", e);
        }
    }
}
