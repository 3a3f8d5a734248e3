package dev.cosub.runtime.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cosub.runtime.train.Method;
import dev.cosub.runtime.train.RunConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProvenanceTest {

    @Test
    void configHashIgnoresWhereDataLivesAndWhatRunsIt() {
        RunConfig config = RunConfig.builder().seed(3).build();
        String hash = Provenance.configHash(config);
        assertEquals(12, hash.length());
        assertEquals(hash, Provenance.configHash(
                config.toBuilder().dataDirectory(Path.of("/elsewhere")).device("cpu").build()));
        assertNotEquals(hash, Provenance.configHash(config.toBuilder().seed(4).build()));
        assertNotEquals(hash, Provenance.configHash(
                config.toBuilder().method(Method.BASELINE).build()));
        assertNotEquals(hash, Provenance.configHash(config.toBuilder().lambda(0.6f).build()));
    }

    @Test
    void sha256OfKnownBytes(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("abc"), "abc");
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
                Provenance.sha256(file));
    }

    @Test
    void commitOfAGitWorkTreeAndWhetherItHasChanges(@TempDir Path dir) throws Exception {
        git(dir, "init", "-q");
        Files.writeString(dir.resolve("pom.xml"), "<project/>");
        git(dir, "add", "pom.xml");
        git(dir, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "-m", "x");
        String commit = Provenance.gitCommit(dir);
        assertTrue(commit.matches("[0-9a-f]{40}"), commit);
        Files.writeString(dir.resolve("pom.xml"), "<project></project>");
        assertEquals(commit + "-dirty", Provenance.gitCommit(dir));
    }

    private static void git(Path dir, String... arguments) throws Exception {
        String[] command = new String[arguments.length + 3];
        command[0] = "git";
        command[1] = "-C";
        command[2] = dir.toString();
        System.arraycopy(arguments, 0, command, 3, arguments.length);
        assertEquals(0, new ProcessBuilder(command).inheritIO().start().waitFor());
    }

    @Test
    void noCommitOutsideAGitWorkTree(@TempDir Path dir) {
        assertNull(Provenance.gitCommit(dir));
        assertNull(Provenance.gitCommit(null));
    }
}
