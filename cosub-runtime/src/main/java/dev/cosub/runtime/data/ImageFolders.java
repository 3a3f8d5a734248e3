package dev.cosub.runtime.data;

import dev.cosub.runtime.io.Digests;
import dev.cosub.runtime.io.InvalidDataException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Reads the image-folder layout of torchvision's {@code ImageFolder} and timm:
 * {@code train/<class>/*.png|jpg|jpeg} and {@code val/<class>/...} (or {@code test/}). Classes
 * are the sorted folder names of {@code train/}. Every image's header is read before training,
 * so that an unreadable image, an empty class or a class of {@code val/} missing from
 * {@code train/} is refused before the first step.
 */
public final class ImageFolders {

    /** The extensions read, in lower case; other files are skipped and counted in the log. */
    public static final List<String> EXTENSIONS = List.of(".png", ".jpg", ".jpeg");

    private static final int LISTED_PROBLEMS = 5;

    private ImageFolders() {}

    /**
     * A folder's images, split and labelled.
     *
     * @param channels 1 when every image is grey, else 3
     * @param commonSize the shorter side shared by every image when all have the same size,
     *     else 0
     * @param parts every class folder of both splits with its images, whose listings identify
     *     the data without reading it whole
     */
    public record Scan(ImageFolder train, ImageFolder test, List<String> classes, int channels,
            int commonSize, List<DataPart> parts) {}

    /**
     * Scans {@code root}.
     *
     * @param threads how many headers are read at once
     * @throws InvalidDataException naming the folder or file and what was expected
     */
    public static Scan scan(Path root, int threads, Consumer<String> log) {
        if (!Files.isDirectory(root)) {
            throw new InvalidDataException("folder: data directory " + root
                    + (Files.exists(root) ? " is a file" : " does not exist")
                    + ": expected train/<class>/*.png|jpg|jpeg and val/<class>/... in it");
        }
        Path trainRoot = root.resolve("train");
        if (!Files.isDirectory(trainRoot)) {
            throw new InvalidDataException("folder: " + root + " has no train/ folder: expected"
                    + " train/<class>/*.png|jpg|jpeg and val/<class>/... (or test/)");
        }
        Path testRoot = root.resolve("val");
        if (!Files.isDirectory(testRoot)) {
            testRoot = root.resolve("test");
        }
        if (!Files.isDirectory(testRoot)) {
            throw new InvalidDataException("folder: " + root + " has no val/ or test/ folder to"
                    + " evaluate on: expected val/<class>/*.png|jpg|jpeg beside train/");
        }
        List<String> skipped = new ArrayList<>();
        List<String> outside = new ArrayList<>();
        List<String> classes = classFolders(trainRoot, outside);
        if (classes.isEmpty()) {
            throw new InvalidDataException("folder: " + trainRoot + " has no class folders:"
                    + " expected one folder of images per class, e.g. train/cat/1.png");
        }
        List<DataPart> parts = new ArrayList<>();
        List<Path> trainFiles = new ArrayList<>();
        List<Integer> trainLabels = new ArrayList<>();
        list(trainRoot, "train", classes, classes, trainFiles, trainLabels, skipped, parts);
        List<Path> testFiles = new ArrayList<>();
        List<Integer> testLabels = new ArrayList<>();
        List<String> testClasses = classFolders(testRoot, outside);
        for (String name : testClasses) {
            if (!classes.contains(name)) {
                throw new InvalidDataException("folder: class " + testRoot.resolve(name)
                        + " has no folder in " + trainRoot + ": a class the network never"
                        + " trains on cannot be evaluated (classes: " + classes + ")");
            }
        }
        if (testClasses.isEmpty()) {
            throw new InvalidDataException("folder: " + testRoot + " has no class folders");
        }
        list(testRoot, "test", testClasses, classes, testFiles, testLabels, skipped, parts);
        if (!skipped.isEmpty()) {
            log.accept("folder: skipped " + files(skipped.size()) + " that "
                    + (skipped.size() == 1 ? "is not a " : "are not ")
                    + String.join("/", EXTENSIONS) + " image in a class folder, e.g. "
                    + String.join(", ", skipped.subList(0, Math.min(3, skipped.size()))));
        }
        if (!outside.isEmpty()) {
            log.accept("folder: skipped " + files(outside.size()) + " outside the class"
                    + " folders (hidden folders and files directly in train/ or val/), e.g. "
                    + String.join(", ", outside.subList(0, Math.min(3, outside.size()))));
        }

        List<Path> all = new ArrayList<>(trainFiles);
        all.addAll(testFiles);
        List<ImageFolder.Header> headers = headers(all, threads);
        int grey = 0;
        int alpha = 0;
        boolean sameSize = true;
        ImageFolder.Header first = headers.get(0);
        for (ImageFolder.Header header : headers) {
            grey += header.grey() ? 1 : 0;
            alpha += header.alpha() ? 1 : 0;
            sameSize &= header.width() == first.width() && header.height() == first.height();
        }
        int channels = grey == headers.size() ? 1 : 3;
        if (channels == 3 && grey > 0) {
            log.accept("folder: " + grey + " of " + headers.size() + " images are grey among"
                    + " colour ones: each is read as RGB with its grey value in all three"
                    + " channels");
        }
        if (alpha > 0) {
            log.accept("folder: " + alpha + " images have an alpha channel, which is dropped");
        }
        log.accept("folder: " + trainFiles.size() + " training and " + testFiles.size()
                + " evaluation images of " + classes.size() + " classes, "
                + (channels == 1 ? "grey" : "colour")
                + (sameSize ? ", all " + first.width() + "x" + first.height() : ", sizes vary"));
        return new Scan(
                new ImageFolder(trainFiles, toArray(trainLabels), channels),
                new ImageFolder(testFiles, toArray(testLabels), channels),
                List.copyOf(classes), channels,
                sameSize ? Math.min(first.width(), first.height()) : 0, parts);
    }

    /**
     * The SHA-256 of the sorted listing of {@code files} under {@code root}: each file's path
     * relative to {@code root} with '/' separators, a tab, its size in bytes and a newline.
     */
    public static String listingSha256(Path root, List<Path> files) {
        List<String> lines = new ArrayList<>();
        for (Path file : files) {
            try {
                String relative = root.relativize(file).toString().replace('\\', '/');
                lines.add(relative + "\t" + Files.size(file) + "\n");
            } catch (IOException e) {
                throw new InvalidDataException(file + ": cannot be read (" + e.getMessage() + ")",
                        e);
            }
        }
        lines.sort(null);
        MessageDigest digest = Digests.sha256();
        lines.forEach(line -> digest.update(line.getBytes(StandardCharsets.UTF_8)));
        return HexFormat.of().formatHex(digest.digest());
    }

    private static String files(int count) {
        return count + (count == 1 ? " file" : " files");
    }

    /** The class folders of a split; hidden folders such as {@code .git} are none. */
    private static List<String> classFolders(Path split, List<String> skipped) {
        List<String> names = new ArrayList<>();
        for (Path entry : entries(split)) {
            if (Files.isDirectory(entry) && !entry.getFileName().toString().startsWith(".")) {
                names.add(entry.getFileName().toString());
            } else {
                skipped.add(entry.toString());
            }
        }
        names.sort(null);
        return names;
    }

    private static void list(Path split, String role, List<String> splitClasses,
            List<String> classes, List<Path> files, List<Integer> labels, List<String> skipped,
            List<DataPart> parts) {
        for (String name : splitClasses) {
            Path folder = split.resolve(name);
            int label = classes.indexOf(name);
            int before = files.size();
            for (Path entry : entries(folder)) {
                if (Files.isRegularFile(entry) && isImage(entry)) {
                    files.add(entry);
                    labels.add(label);
                } else {
                    skipped.add(entry.toString());
                }
            }
            if (files.size() == before) {
                throw new InvalidDataException("folder: class folder " + folder + " holds no"
                        + " images: expected " + String.join(", ", EXTENSIONS) + " files;"
                        + " remove the folder or add its images");
            }
            parts.add(DataPart.classFolder(role, folder, files.subList(before, files.size())));
        }
    }

    private static boolean isImage(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return !name.startsWith(".") && EXTENSIONS.stream().anyMatch(name::endsWith);
    }

    private static List<Path> entries(Path folder) {
        try (Stream<Path> list = Files.list(folder)) {
            return list.sorted().toList();
        } catch (IOException | UncheckedIOException e) {
            throw new InvalidDataException(folder + ": cannot be listed (" + e.getMessage() + ")",
                    e);
        }
    }

    /** Every file's header, read on {@code threads} threads; every bad file is named. */
    private static List<ImageFolder.Header> headers(List<Path> files, int threads) {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads), task -> {
            Thread thread = new Thread(task, "cosub-scan");
            thread.setDaemon(true);
            return thread;
        });
        try {
            int chunk = Math.max(1, (files.size() + 4 * threads - 1) / (4 * threads));
            List<Future<List<Object>>> parts = new ArrayList<>();
            for (int start = 0; start < files.size(); start += chunk) {
                List<Path> part = files.subList(start, Math.min(files.size(), start + chunk));
                parts.add(pool.submit(() -> {
                    List<Object> results = new ArrayList<>(part.size());
                    for (Path file : part) {
                        try {
                            results.add(ImageFolder.header(file));
                        } catch (InvalidDataException e) {
                            results.add(e.getMessage());
                        }
                    }
                    return results;
                }));
            }
            List<ImageFolder.Header> headers = new ArrayList<>(files.size());
            List<String> problems = new ArrayList<>();
            for (Future<List<Object>> part : parts) {
                for (Object result : part.get()) {
                    if (result instanceof ImageFolder.Header header) {
                        headers.add(header);
                    } else {
                        problems.add((String) result);
                    }
                }
            }
            if (!problems.isEmpty()) {
                throw new InvalidDataException("folder: " + problems.size() + " of "
                        + files.size() + " images cannot be read: "
                        + String.join("; ", problems.subList(0,
                                Math.min(LISTED_PROBLEMS, problems.size())))
                        + (problems.size() > LISTED_PROBLEMS ? "; ..." : "")
                        + ". Remove or replace them");
            }
            return headers;
        } catch (ExecutionException e) {
            throw new IllegalStateException("reading image headers failed: " + e.getCause(),
                    e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading image headers", e);
        } finally {
            pool.shutdownNow();
        }
    }

    private static int[] toArray(List<Integer> values) {
        return values.stream().mapToInt(Integer::intValue).toArray();
    }
}
