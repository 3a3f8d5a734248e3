package dev.cosub.runtime.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    @TempDir
    Path root;

    @Test
    void aFolderAppearsOnlyWhenItsContentIsComplete() throws IOException {
        Path folder = root.resolve("images");
        assertThrows(IOException.class, () -> AtomicFiles.writeFolder(folder, staging -> {
            Files.writeString(staging.resolve("first"), "1");
            throw new IOException("disk full");
        }));
        assertFalse(Files.exists(folder), "an interrupted write leaves no finished-looking folder");

        AtomicFiles.writeFolder(folder, staging -> Files.writeString(staging.resolve("second"),
                "2"));
        assertEquals("2", Files.readString(folder.resolve("second")));
        assertFalse(Files.exists(folder.resolve("first")), "the interrupted write's file is gone");
        assertFalse(Files.exists(root.resolve("images.partial")));
    }

    @Test
    void writtenFilesAndFoldersFollowTheUmaskAndLeaveNoTemporaryFile() throws IOException {
        Path plain = Files.createFile(root.resolve("plain"));
        Path plainFolder = Files.createDirectory(root.resolve("plain-folder"));
        Path written = root.resolve("leaderboard.csv");
        AtomicFiles.writeString(written, "a\n");
        AtomicFiles.writeString(written, "b\n");
        Path folder = AtomicFiles.temporaryFolder(root, ".download-");

        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(written),
                "the same permissions as any file this process creates");
        assertEquals(Files.getPosixFilePermissions(plainFolder),
                Files.getPosixFilePermissions(folder));
        assertTrue(folder.getFileName().toString().startsWith(".download-"));
        assertEquals("b\n", Files.readString(written));
        try (var entries = Files.list(root)) {
            assertEquals(4, entries.count(), "no temporary file is left");
        }
    }
}
