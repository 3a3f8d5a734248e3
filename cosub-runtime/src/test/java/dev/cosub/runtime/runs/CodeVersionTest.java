package dev.cosub.runtime.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The build embeds the commit it was made from; a run records it. */
class CodeVersionTest {

    @Test
    void theRuntimeKnowsTheCommitItWasBuiltFrom() {
        CodeVersion code = CodeVersion.current();
        // Built from this checkout: its HEAD, whether or not the tests run inside git.
        String head = Provenance.gitCommit(Path.of("").toAbsolutePath());
        if (head != null) {
            assertEquals(head.replace("-dirty", ""), code.commit());
        }
        assertTrue(code.version().endsWith("-SNAPSHOT") || code.version().matches("\\d.*"),
                code.version());
    }

    @Test
    void describedInOneWord() {
        assertEquals("0.1.0@0123456789ab+changes", CodeVersion.describe(
                new CodeVersion("0.1.0", "0123456789abcdef0123", true)));
        assertEquals("0.1.0@no-commit", CodeVersion.describe(
                new CodeVersion("0.1.0", null, null)));
        assertEquals("unknown", CodeVersion.describe(null));
    }
}
