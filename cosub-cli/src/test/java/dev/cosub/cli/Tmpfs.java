package dev.cosub.cli;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A small tmpfs mounted for one test: a real full disk or read-only file system. Mounting needs
 * root (CI runs as root); elsewhere the test is skipped, saying so.
 */
final class Tmpfs implements AutoCloseable {

    private final Path folder;

    private Tmpfs(Path folder) {
        this.folder = folder;
    }

    /** Mounts a tmpfs of {@code size} (e.g. {@code 512k}) on a new {@code folder}. */
    static Tmpfs mount(Path folder, String size) throws Exception {
        Files.createDirectories(folder);
        assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs",
                folder.toString()), "skipped: mounting a tmpfs needs root (CI runs as root)");
        return new Tmpfs(folder);
    }

    Path folder() {
        return folder;
    }

    /** Makes the file system read-only. */
    void readOnly() throws Exception {
        if (!run("mount", "-o", "remount,ro", folder.toString())) {
            throw new IOException("cannot remount " + folder + " read-only");
        }
    }

    @Override
    public void close() throws Exception {
        run("umount", folder.toString());
    }

    private static boolean run(String... command) throws Exception {
        try {
            Process process = new ProcessBuilder(List.of(command)).redirectErrorStream(true)
                    .start();
            process.getInputStream().readAllBytes();
            return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        }
    }
}
