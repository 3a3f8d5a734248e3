package dev.cosub.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProgramOptionsTest {

    private static final List<String> KNOWN = List.of("rounds", "out", "epochs");

    @Test
    void oneMavenPropertyMaySpellSeveralOptionsAndAnEmptyOneIsSkipped() {
        assertEquals(Map.of("rounds", "3", "epochs", "2", "out", "x"), ProgramOptions.parse(
                new String[] {"--rounds", "3", "", "--epochs 2 --out x"}, KNOWN));
    }

    @Test
    void unknownOptionsAndMissingValuesAreRefusedByName() {
        String unknown = assertThrows(IllegalArgumentException.class,
                () -> ProgramOptions.parse(new String[] {"--epoch", "3"}, KNOWN)).getMessage();
        assertTrue(unknown.contains("--epoch") && unknown.contains("--epochs"), unknown);
        String missing = assertThrows(IllegalArgumentException.class,
                () -> ProgramOptions.parse(new String[] {"--epochs"}, KNOWN)).getMessage();
        assertTrue(missing.contains("--epochs"), missing);
    }
}
