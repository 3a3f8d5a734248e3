package dev.cosub.runtime.train;

import dev.cosub.runtime.io.EnumNames;
import java.util.Locale;

/**
 * What a comparison holds equal between the methods. cosub runs every image through two
 * submodels: at equal epochs it costs about twice the baseline.
 */
public enum Budget {
    /** Both methods train the configured epochs. */
    EPOCHS,
    /**
     * Both methods run as many rows forward and backward: the baseline trains twice the
     * configured epochs (and warm-up), its learning-rate schedule stretched to match; cosub
     * trains the configured epochs.
     */
    COMPUTE;

    /** The epochs {@code method} trains for {@code epochs} configured ones. */
    public int epochs(Method method, int epochs) {
        return this == COMPUTE && method == Method.BASELINE
                ? epochs * Method.COSUB.passesPerImage() : epochs;
    }

    /** Parses {@code epochs} or {@code compute}. */
    public static Budget parse(String name) {
        return EnumNames.parse(Budget.class, name, "budget");
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
