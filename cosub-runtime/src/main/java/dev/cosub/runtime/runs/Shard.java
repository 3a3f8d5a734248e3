package dev.cosub.runtime.runs;

import dev.cosub.runtime.train.RunConfig;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The {@code index}-th of {@code count} parts of a grid, so that CI matrix jobs, Slurm array
 * tasks or Kubernetes indexed jobs split a sweep among themselves with no coordination: each
 * sorts the grid's configurations by their config hash and takes every {@code count}-th from
 * position {@code index}. The parts are disjoint, cover the grid, differ in size by one at most,
 * and do not depend on the order in which the grid was listed.
 *
 * @param index 0-based
 * @param count at least 1
 */
public record Shard(int index, int count) {

    /** The whole grid. */
    public static final Shard ALL = new Shard(0, 1);

    public Shard {
        if (count < 1 || index < 0 || index >= count) {
            throw new IllegalArgumentException("shard = " + index + "/" + count + " is invalid:"
                    + " expected i/n with 0 <= i < n, e.g. 0/4 to 3/4");
        }
    }

    /**
     * Parses {@code i/n}; blank is the whole grid.
     *
     * @throws IllegalArgumentException naming the parameter and what is expected
     */
    public static Shard parse(String text) {
        if (text == null || text.isBlank()) {
            return ALL;
        }
        String[] parts = text.trim().split("/");
        try {
            if (parts.length != 2) {
                throw new NumberFormatException();
            }
            return new Shard(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("shard = " + text + " is invalid: expected i/n"
                    + " with 0 <= i < n, e.g. 0/4 to 3/4", e);
        }
    }

    /** This shard's configurations of {@code grid}, in the grid's order. */
    public List<RunConfig> of(List<RunConfig> grid) {
        if (count == 1) {
            return List.copyOf(grid);
        }
        List<RunConfig> sorted = new ArrayList<>(grid);
        sorted.sort(Comparator.comparing(Provenance::configHash));
        List<RunConfig> mine = new ArrayList<>();
        for (int i = index; i < sorted.size(); i += count) {
            mine.add(sorted.get(i));
        }
        return grid.stream().filter(mine::contains).toList();
    }

    @Override
    public String toString() {
        return index + "/" + count;
    }
}
