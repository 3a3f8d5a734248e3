package dev.cosub.runtime.data;

import dev.cosub.runtime.io.InvalidDataException;
import dev.cosub.runtime.model.ImageShape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads CIFAR-10 and CIFAR-100 in their binary distribution format: records of a label byte
 * (CIFAR-100: a coarse then a fine label byte) followed by 32x32 red, green and blue planes.
 * CIFAR-100 is read with its 100 fine labels.
 */
public final class CifarFiles {

    static final int SIDE = 32;
    static final int IMAGE_BYTES = 3 * SIDE * SIDE;

    /** The layout of one of the two datasets. */
    public enum Kind {
        CIFAR10("cifar-10-batches-bin", 1, 10, "batches.meta.txt",
                List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin",
                        "data_batch_4.bin", "data_batch_5.bin"),
                List.of("test_batch.bin")),
        CIFAR100("cifar-100-binary", 2, 100, "fine_label_names.txt",
                List.of("train.bin"), List.of("test.bin"));

        /** The folder the distribution's archive unpacks to. */
        final String archiveFolder;
        final int labelBytes;
        final int classes;
        final String classNamesFile;
        final List<String> trainFiles;
        final List<String> testFiles;

        Kind(String archiveFolder, int labelBytes, int classes, String classNamesFile,
                List<String> trainFiles, List<String> testFiles) {
            this.archiveFolder = archiveFolder;
            this.labelBytes = labelBytes;
            this.classes = classes;
            this.classNamesFile = classNamesFile;
            this.trainFiles = trainFiles;
            this.testFiles = testFiles;
        }

        int recordBytes() {
            return labelBytes + IMAGE_BYTES;
        }

        /** The directory holding the files: {@code dir} or its archive folder inside it. */
        public Path locate(Path dir) {
            Path inside = dir.resolve(archiveFolder);
            return Files.isRegularFile(dir.resolve(trainFiles.get(0)))
                    || !Files.isDirectory(inside) ? dir : inside;
        }

        /** The training files, then the test files, in {@link #locate}'s directory. */
        public List<Path> files(Path dir) {
            Path located = locate(dir);
            List<Path> files = new ArrayList<>();
            trainFiles.forEach(name -> files.add(located.resolve(name)));
            testFiles.forEach(name -> files.add(located.resolve(name)));
            return files;
        }

        public int classes() {
            return classes;
        }
    }

    private CifarFiles() {}

    /** Reads the training images ({@code test} false) or the test images of {@code dir}. */
    public static LabeledImages read(Kind kind, Path dir, boolean test) {
        Path located = kind.locate(dir);
        List<String> names = test ? kind.testFiles : kind.trainFiles;
        List<byte[]> contents = new ArrayList<>();
        int records = 0;
        for (String name : names) {
            Path file = located.resolve(name);
            byte[] bytes = readAll(file);
            if (bytes.length == 0 || bytes.length % kind.recordBytes() != 0) {
                throw new InvalidDataException(file + ": " + bytes.length + " bytes is not a whole"
                        + " number of " + kind.recordBytes() + "-byte " + kind.name().toLowerCase()
                        + " records (" + kind.labelBytes + " label byte"
                        + (kind.labelBytes > 1 ? "s" : "") + " and 3x32x32 pixels)");
            }
            contents.add(bytes);
            records += bytes.length / kind.recordBytes();
        }
        byte[] pixels = new byte[records * IMAGE_BYTES];
        int[] labels = new int[records];
        int next = 0;
        for (int f = 0; f < names.size(); f++) {
            byte[] bytes = contents.get(f);
            for (int r = 0; r < bytes.length / kind.recordBytes(); r++, next++) {
                int start = r * kind.recordBytes();
                int label = bytes[start + kind.labelBytes - 1] & 0xFF;
                if (label >= kind.classes) {
                    throw new InvalidDataException(located.resolve(names.get(f)) + ": record " + r
                            + " has label " + label + ", expected 0 to " + (kind.classes - 1));
                }
                labels[next] = label;
                System.arraycopy(bytes, start + kind.labelBytes, pixels, next * IMAGE_BYTES,
                        IMAGE_BYTES);
            }
        }
        return new LabeledImages(new ImageShape(3, SIDE, SIDE), pixels, labels);
    }

    /** The class names of the distribution's label file, or numbers when it is absent. */
    public static List<String> classNames(Kind kind, Path dir) {
        Path file = kind.locate(dir).resolve(kind.classNamesFile);
        List<String> names = new ArrayList<>();
        if (Files.isRegularFile(file)) {
            for (String line : readLines(file)) {
                if (!line.isBlank()) {
                    names.add(line.trim());
                }
            }
        }
        if (names.size() != kind.classes) {
            names.clear();
            for (int i = 0; i < kind.classes; i++) {
                names.add(Integer.toString(i));
            }
        }
        return names;
    }

    private static byte[] readAll(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new InvalidDataException(file + ": file not found", e);
        } catch (IOException e) {
            throw new InvalidDataException(file + ": cannot be read (" + e + ")", e);
        }
    }

    private static List<String> readLines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new InvalidDataException(file + ": cannot be read (" + e + ")", e);
        }
    }
}
