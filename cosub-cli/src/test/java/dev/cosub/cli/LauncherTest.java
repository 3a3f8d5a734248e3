package dev.cosub.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cosub.runtime.fork.NativeRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The {@code cosub} launcher script. */
class LauncherTest {

    /**
     * The command's own JVM trains with {@code --no-fork} and evaluates: it gets the allocator
     * a training child gets, unless the user set it.
     */
    @Test
    void theLauncherSetsTheAllocatorOfATrainingChild() throws Exception {
        String script = Files.readString(Path.of("src/main/dist/bin/cosub"));
        Matcher defaults = Pattern.compile("\\$\\{(MALLOC_[A-Z_]+):=([0-9]+)}").matcher(script);
        Map<String, String> launcher = new TreeMap<>();
        while (defaults.find()) {
            launcher.put(defaults.group(1), defaults.group(2));
        }
        String exported = script.lines().filter(line -> line.startsWith("export "))
                .findFirst().orElse("");
        launcher.keySet().forEach(name -> assertTrue(exported.contains(name),
                name + " is exported: " + exported));
        Map<String, String> child = new TreeMap<>();
        NativeRuntime.choose(null, 2, 0).environment().forEach((name, value) -> {
            if (name.startsWith("MALLOC_")) {
                child.put(name, value);
            }
        });
        assertEquals(child, launcher);
    }
}
