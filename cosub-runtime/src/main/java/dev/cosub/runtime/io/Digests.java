package dev.cosub.runtime.io;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.GZIPInputStream;

/** The one hash of data and configurations: SHA-256. */
public final class Digests {

    private Digests() {}

    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /**
     * The SHA-256 of a file's bytes in hex, as {@code sha256sum} prints it.
     *
     * @throws InvalidDataException naming the file when it cannot be read
     */
    public static String file(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return hex(in);
        } catch (IOException e) {
            throw new InvalidDataException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The SHA-256 of what a gzip-compressed file holds, so that a compressed and an
     * uncompressed copy of the same data can be recognised; {@code null} for a file that is not
     * gzip-compressed (its content is its bytes).
     *
     * @throws InvalidDataException naming the file when it cannot be read or decompressed
     */
    public static String gzipContent(Path file) {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            in.mark(2);
            boolean gzip = in.read() == 0x1F && in.read() == 0x8B;
            in.reset();
            if (!gzip) {
                return null;
            }
            try (InputStream content = new GZIPInputStream(in, 1 << 16)) {
                return hex(content);
            }
        } catch (IOException e) {
            throw new InvalidDataException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static String hex(InputStream in) throws IOException {
        MessageDigest digest = sha256();
        byte[] buffer = new byte[1 << 16];
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
            digest.update(buffer, 0, n);
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
