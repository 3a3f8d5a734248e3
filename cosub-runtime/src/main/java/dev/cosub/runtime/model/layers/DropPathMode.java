package dev.cosub.runtime.model.layers;

import dev.cosub.runtime.io.EnumNames;
import java.util.Locale;

/** How a residual branch skips the rows that stochastic depth drops. */
public enum DropPathMode {
    /** Run the branch on every row, then multiply the dropped rows by zero. */
    MASK,
    /**
     * Run the branch on the kept rows only and add its output back at their positions, so that a
     * dropped row costs nothing. Branches holding BatchNorm keep {@link #MASK}: their batch
     * statistics stay those of the whole batch, so both modes compute the same function.
     */
    EFFICIENT;

    /** Parses {@code mask} or {@code efficient}. */
    public static DropPathMode parse(String name) {
        return EnumNames.parse(DropPathMode.class, name, "dropPathMode");
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
