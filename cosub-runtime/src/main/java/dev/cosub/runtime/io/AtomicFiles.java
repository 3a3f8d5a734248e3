package dev.cosub.runtime.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
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

    private static final SecureRandom RANDOM = new SecureRandom();

    private AtomicFiles() {}

    /**
     * Replaces {@code file} with {@code content}, creating parent directories as needed. The
     * file gets the permissions the process's umask gives, like any other tool's output
     * ({@code Files.createTempFile} would make it readable by its owner alone).
     */
    public static void write(Path file, Content content) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path temporary = parent.resolve("." + file.getFileName() + "."
                + Long.toUnsignedString(RANDOM.nextLong(), 36) + ".tmp");
        try {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(temporary,
                    StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE))) {
                content.writeTo(out);
            }
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            // Name the file being written, not its temporary copy: a full disk says only "No
            // space left on device", a read-only directory names the temporary file.
            String reason = e instanceof FileSystemException fs && fs.getReason() != null
                    ? fs.getReason() : e.getMessage();
            FileSystemException named = e instanceof AccessDeniedException
                    ? new AccessDeniedException(file.toString(), null, reason)
                    : new FileSystemException(file.toString(), null, reason);
            named.initCause(e);
            throw named;
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /** Replaces {@code file} with {@code text} in UTF-8. */
    public static void writeString(Path file, String text) throws IOException {
        write(file, out -> out.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    /**
     * Creates a new folder in {@code parent} named {@code prefix} and a random suffix, with the
     * permissions the umask gives ({@code Files.createTempDirectory} gives its owner alone).
     */
    public static Path temporaryFolder(Path parent, String prefix) throws IOException {
        Files.createDirectories(parent);
        while (true) {
            try {
                return Files.createDirectory(parent.resolve(prefix
                        + Long.toUnsignedString(RANDOM.nextLong(), 36)));
            } catch (java.nio.file.FileAlreadyExistsException e) {
                // Drawn twice out of 2^64: draw again.
            }
        }
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
