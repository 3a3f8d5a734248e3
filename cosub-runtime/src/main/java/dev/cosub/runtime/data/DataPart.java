package dev.cosub.runtime.data;

import dev.cosub.runtime.io.Digests;
import java.nio.file.Path;
import java.util.List;

/**
 * A part of a dataset, named by what it is for rather than where it is, so that the data a run
 * was trained on can be matched part by part against data found elsewhere: one file (an IDX
 * file, a CIFAR batch), or the listing of one class folder of an image folder.
 *
 * @param role what the part is, the same wherever the data lies: an IDX or CIFAR file's name
 *     without {@code .gz} (e.g. {@code t10k-labels-idx1-ubyte}), or {@code train/<class>} and
 *     {@code test/<class>} for a class folder (its evaluation split called {@code val/} or
 *     {@code test/})
 * @param path the file, or the class folder
 * @param images a class folder's image files; {@code null} for a file
 */
public record DataPart(String role, Path path, List<Path> images) {

    public DataPart {
        images = images == null ? null : List.copyOf(images);
    }

    /** A file of a named dataset; its role is its name without {@code .gz}. */
    public static DataPart file(Path file) {
        String name = file.getFileName().toString();
        return new DataPart(name.endsWith(".gz") ? name.substring(0, name.length() - 3) : name,
                file, null);
    }

    /** A class folder of an image folder's split ({@code train} or {@code test}). */
    public static DataPart classFolder(String split, Path folder, List<Path> images) {
        return new DataPart(split + "/" + folder.getFileName(), folder, images);
    }

    /**
     * The SHA-256 of the file's bytes, or of a class folder's sorted listing (see
     * {@link ImageFolders#listingSha256}).
     */
    public String sha256() {
        return images == null ? Digests.file(path) : ImageFolders.listingSha256(path, images);
    }

    /**
     * The SHA-256 of a gzip-compressed file's decompressed bytes; {@code null} when the part's
     * content is what {@link #sha256} hashes.
     */
    public String contentSha256() {
        return images == null ? Digests.gzipContent(path) : null;
    }
}
