package dev.cosub.runtime.model;

import dev.cosub.runtime.model.layers.DropPath;
import dev.cosub.runtime.model.layers.DropPathMode;
import dev.cosub.runtime.model.layers.DropPathSchedule;

/**
 * What to build: an architecture's size, the input it sees, the number of classes and its
 * stochastic depth.
 *
 * @param size the architecture's size name, e.g. {@code nano} or {@code tiny}
 * @param input the input image shape
 * @param classes the number of output classes
 * @param dropPath the stochastic-depth rate of the deepest block, in [0, 1)
 * @param schedule how the rate is spread across depth
 * @param mode how dropped rows skip their branches
 */
public record ModelSpec(String size, ImageShape input, int classes, float dropPath,
        DropPathSchedule schedule, DropPathMode mode) {

    public ModelSpec {
        if (classes < 2) {
            throw new IllegalArgumentException("a classifier needs at least 2 classes, got " + classes);
        }
        DropPath.checkRate(dropPath);
        java.util.Objects.requireNonNull(mode, "mode");
    }

    /** A spec with {@link DropPathMode#MASK}. */
    public ModelSpec(String size, ImageShape input, int classes, float dropPath,
            DropPathSchedule schedule) {
        this(size, input, classes, dropPath, schedule, DropPathMode.MASK);
    }
}
