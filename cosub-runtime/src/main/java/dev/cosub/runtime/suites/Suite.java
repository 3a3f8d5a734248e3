package dev.cosub.runtime.suites;

import dev.cosub.runtime.train.RunConfig;
import java.io.IOException;
import java.util.List;
import java.util.function.Consumer;

/**
 * A named experiment: runs that are compared side by side, in one process, on one machine.
 *
 * @param name what users call it
 * @param description one line on what it measures
 * @param runs the configurations, in the order they run
 * @param preparation what must exist before the first run trains, made once
 */
public record Suite(String name, String description, List<RunConfig> runs,
        Preparation preparation) {

    /** The same suite, with {@code preparation} run before its first run. */
    public Suite preparedBy(Preparation preparation) {
        return new Suite(name, description, runs, preparation);
    }

    /** Makes what a suite's runs read (such as a data folder) when it is not there yet. */
    @FunctionalInterface
    public interface Preparation {
        Preparation NONE = log -> { };

        void prepare(Consumer<String> log) throws IOException;
    }
}
