package dev.cosub.runtime.runs;

import dev.cosub.runtime.train.Budget;
import dev.cosub.runtime.train.Method;
import dev.cosub.runtime.train.RunConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;

/** The configurations a comparison covers: architectures x methods x seeds x budgets. */
public final class Grid {

    private Grid() {}

    /**
     * Every combination on top of {@code base}, in this order; cosub, which trains the same
     * under both budgets, appears once per architecture and seed.
     *
     * @param base a fresh builder with every other setting (called once per configuration, so
     *     that defaults that depend on the architecture follow it)
     */
    public static List<RunConfig> of(Supplier<RunConfig.Builder> base, List<String> architectures,
            List<String> methods, List<Long> seeds, List<String> budgets) {
        Set<RunConfig> grid = new LinkedHashSet<>();
        for (String architecture : architectures) {
            for (String method : methods) {
                for (long seed : seeds) {
                    for (String budget : budgets) {
                        grid.add(base.get().architecture(architecture)
                                .method(Method.parse(method)).seed(seed)
                                .budget(Budget.parse(budget)).build());
                    }
                }
            }
        }
        return List.copyOf(grid);
    }

    /**
     * A comma-separated parameter: its items, or {@code fallback}'s when it is blank.
     *
     * @throws IllegalArgumentException when it is empty or lists an item twice
     */
    public static List<String> list(String parameter, String value, String fallback) {
        String text = value == null || value.isBlank() ? fallback : value;
        List<String> items = Arrays.stream(text.split(","))
                .map(String::trim)
                .filter(item -> !item.isEmpty())
                .toList();
        if (items.isEmpty()) {
            throw new IllegalArgumentException(parameter + " = '" + value
                    + "' is invalid: expected a comma-separated list");
        }
        Set<String> seen = new LinkedHashSet<>();
        for (String item : items) {
            if (!seen.add(item.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException(parameter + " = '" + value + "' lists '"
                        + item + "' twice: expected each value once");
            }
        }
        return items;
    }

    /** The seeds of a comma-separated list. */
    public static List<Long> seeds(String value, long fallback) {
        List<Long> seeds = new ArrayList<>();
        for (String seed : list("seeds", value, Long.toString(fallback))) {
            try {
                seeds.add(Long.parseLong(seed));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        "seeds: '" + seed + "' is invalid: expected a whole number");
            }
        }
        return seeds;
    }
}
