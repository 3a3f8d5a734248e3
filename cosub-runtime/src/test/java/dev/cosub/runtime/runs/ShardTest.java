package dev.cosub.runtime.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cosub.runtime.goals.Experiments;
import dev.cosub.runtime.train.RunConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("slow") // trains a grid twice
class ShardTest {

    private static List<RunConfig> grid(List<String> architectures, List<Long> seeds) {
        return Grid.of(() -> RunConfig.builder().dataset("synthetic").trainSubset(128).epochs(1)
                .batchSize(64).device("cpu"), architectures, List.of("baseline", "cosub"), seeds,
                List.of("epochs", "compute"));
    }

    @Test
    void shardsAreDisjointCoverTheGridAndDoNotDependOnItsOrder() {
        List<RunConfig> grid = grid(List.of("vit", "convnext", "swin"), List.of(0L, 1L, 2L));
        assertEquals(27, grid.size(), "3 architectures x 3 seeds x (2 baseline budgets + cosub)");
        for (int count = 1; count <= 5; count++) {
            Set<RunConfig> union = new HashSet<>();
            int total = 0;
            List<RunConfig> shuffled = new ArrayList<>(grid);
            Collections.shuffle(shuffled, new java.util.Random(count));
            for (int index = 0; index < count; index++) {
                List<RunConfig> part = new Shard(index, count).of(grid);
                assertEquals(Set.copyOf(part), Set.copyOf(new Shard(index, count).of(shuffled)),
                        "the listing order does not move a configuration to another shard");
                assertTrue(Math.abs(part.size() - grid.size() / (double) count) < 1,
                        "balanced: " + part.size() + " of " + grid.size() + " in " + count);
                union.addAll(part);
                total += part.size();
            }
            assertEquals(grid.size(), total, "disjoint");
            assertEquals(Set.copyOf(grid), union, "covering");
        }
    }

    @Test
    void badShardsAreRefusedByName() {
        for (String bad : List.of("2/2", "-1/2", "1", "a/b", "0/0", "1/2/3")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Shard.parse(bad));
            assertTrue(e.getMessage().startsWith("shard = "), e.getMessage());
        }
        assertEquals(Shard.ALL, Shard.parse(" "));
        assertEquals(new Shard(1, 3), Shard.parse(" 1 / 3 "));
    }

    /**
     * Two machines each train their shard into their own output directory; a third merges the
     * two leaderboards without training: it holds exactly the grid's configurations.
     */
    @Test
    void twoShardsTrainedApartMergeIntoTheWholeGrid(@TempDir Path dir) throws Exception {
        List<RunConfig> grid = grid(List.of("vit"), List.of(0L, 1L));
        List<String> log = new ArrayList<>();
        List<Path> leaderboards = new ArrayList<>();
        for (int index = 0; index < 2; index++) {
            Path out = dir.resolve("shard-" + index);
            Experiments experiments = new Experiments(out, null, log::add);
            Experiments.ComparisonResult result = experiments.compare(
                    new Shard(index, 2).of(grid), List.of(), true);
            assertEquals(3, result.trained(), "6 configurations, 3 per shard");
            leaderboards.add(experiments.store().leaderboard());
        }
        Experiments merged = new Experiments(dir.resolve("merged"), null, log::add);
        Experiments.ComparisonResult result = merged.compare(grid, leaderboards, false);

        assertEquals(0, result.trained());
        Set<String> expected = grid.stream().map(Provenance::configHash)
                .collect(Collectors.toSet());
        List<LeaderboardRow> rows = Leaderboard.read(merged.store().leaderboard());
        assertEquals(6, rows.size());
        assertEquals(expected, rows.stream().map(LeaderboardRow::configHash)
                .collect(Collectors.toSet()));
        assertEquals(2, result.rows().size(), "one comparison row per budget");
    }
}
