package dev.cosub.runtime.report;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Writes files so that readers see either the old content or the whole new content, never a
 * partial file: the content goes to a temporary file in the same directory, which is then renamed
 * over the target. {@link #writeFolder} builds folders the same way, in a staging folder moved
 * into place.
 */
public final class AtomicFiles {

    /** Writes a file's content to a stream. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /** Writes a folder's content into the folder it is given. */
    @FunctionalInterface
    public interface FolderContent {
        void writeInto(Path folder) throws IOException;
    }

    private AtomicFiles() {}

    /** Replaces {@code file} with {@code content}, creating parent directories as needed. */
    public static void write(Path file, Content content) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path temporary = Files.createTempFile(parent, "." + file.getFileName(), ".tmp");
        try {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(temporary))) {
                content.writeTo(out);
            }
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /** Replaces {@code file} with {@code text} in UTF-8. */
    public static void writeString(Path file, String text) throws IOException {
        write(file, out -> out.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    /**
     * Makes {@code folder} with {@code content}: written into {@code <folder>.partial} beside it,
     * which is moved into place once complete, so that an interrupted write never leaves a
     * folder that looks finished. A staging folder an interrupted write left is removed first.
     */
    public static void writeFolder(Path folder, FolderContent content) throws IOException {
        Path staging = folder.resolveSibling(folder.getFileName() + ".partial");
        deleteTree(staging);
        Files.createDirectories(staging);
        content.writeInto(staging);
        Files.move(staging, folder, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Deletes a folder and everything under it; nothing happens when it does not exist. */
    public static void deleteTree(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
