package dev.cosub.runtime.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DigestsTest {

    private static final String ABC =
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    @Test
    void aFilesHashIsSha256sumsAndAGzipFilesContentIsItsDecompressedBytes(@TempDir Path dir)
            throws Exception {
        Path raw = Files.writeString(dir.resolve("abc"), "abc");
        Path gzip = dir.resolve("abc.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gzip))) {
            out.write("abc".getBytes(StandardCharsets.US_ASCII));
        }
        assertEquals(ABC, Digests.file(raw));
        assertNull(Digests.gzipContent(raw), "not compressed: its content is its bytes");
        assertEquals(ABC, Digests.gzipContent(gzip));
        assertTrue(!Digests.file(gzip).equals(ABC));
    }

    @Test
    void anUnreadableFileIsNamed(@TempDir Path dir) {
        Path missing = dir.resolve("missing");
        InvalidDataException e = assertThrows(InvalidDataException.class,
                () -> Digests.file(missing));
        assertTrue(e.getMessage().startsWith("cannot read " + missing), e.getMessage());
    }
}
