package dev.cosub.runtime.model.layers;

import dev.cosub.runtime.io.EnumNames;
import java.util.Arrays;
import java.util.Locale;

/** How a network's stochastic-depth rate is spread over its residual blocks. */
public enum DropPathSchedule {
    /** From 0 at the first block to the set rate at the last, counted over all stages. */
    LINEAR,
    /** The set rate on every block (DeiT-III and cosub's ViT recipe; XCiT's XCA blocks). */
    UNIFORM;

    /**
     * Per-block rates for {@code blocks} residual blocks whose deepest block gets {@code rate}.
     */
    public float[] rates(float rate, int blocks) {
        DropPath.checkRate(rate);
        if (blocks < 1) {
            throw new IllegalArgumentException("a network needs at least one block, got " + blocks);
        }
        float[] rates = new float[blocks];
        if (this == UNIFORM || blocks == 1) {
            Arrays.fill(rates, rate);
        } else {
            for (int i = 0; i < blocks; i++) {
                rates[i] = rate * i / (blocks - 1);
            }
        }
        return rates;
    }

    /**
     * Parses {@code linear} or {@code uniform}; {@code constant} is accepted as another name for
     * {@code uniform}.
     */
    public static DropPathSchedule parse(String name) {
        // "constant" is what some papers call the uniform schedule.
        return name != null && name.trim().equalsIgnoreCase("constant") ? UNIFORM
                : EnumNames.parse(DropPathSchedule.class, name, "dropPathSchedule");
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
