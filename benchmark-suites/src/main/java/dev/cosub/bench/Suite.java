package dev.cosub.bench;

import dev.cosub.runtime.train.RunConfig;
import java.util.List;

/**
 * A named experiment: runs that are compared side by side, in one process, on one machine.
 *
 * @param name what users call it
 * @param description one line on what it measures
 * @param runs the configurations, in the order they run
 */
public record Suite(String name, String description, List<RunConfig> runs) {}
