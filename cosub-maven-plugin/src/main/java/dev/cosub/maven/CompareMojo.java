package dev.cosub.maven;

import dev.cosub.runtime.goals.Goals;
import dev.cosub.runtime.runs.Grid;
import dev.cosub.runtime.runs.Shard;
import dev.cosub.runtime.train.RunConfig;
import java.io.File;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Compares cosub with the baseline across architectures, seeds and budgets. Trains every
 * configuration of the grid {@code architectures x methods x seeds x budgets} that has no run in
 * the leaderboard yet, then writes {@code comparison.csv}, {@code comparison.md} and the HTML
 * report {@code report/index.html} next to {@code leaderboard.csv}: one row per architecture,
 * recipe and budget with each method's mean top-1 and its 95% interval over seeds, the paired
 * difference with its interval, a verdict, and the training cost. Leaderboards of other machines
 * (CI shards) can be merged in first, so their runs are not trained again.
 */
@Mojo(name = "compare", threadSafe = true)
public class CompareMojo extends TrainingMojo {

    /** Comma-separated architectures to compare; default: {@code architecture}. */
    @Parameter(property = "cosub.architectures")
    private String architectures;

    /** Comma-separated methods to compare. */
    @Parameter(property = "cosub.methods", defaultValue = "baseline,cosub")
    private String methods;

    /** Comma-separated seeds; default: {@code seed}. */
    @Parameter(property = "cosub.seeds")
    private String seeds;

    /**
     * Comma-separated budgets: {@code epochs}, {@code compute} or both; default: {@code budget}.
     */
    @Parameter(property = "cosub.budgets")
    private String budgets;

    /** Leaderboard files to merge into this one first; rows already present are skipped. */
    @Parameter(property = "cosub.leaderboards")
    private File[] leaderboards;

    /**
     * Whether to train the configurations that have no run yet. When false, nothing is trained
     * and the tables cover every run of the (merged) leaderboard.
     */
    @Parameter(property = "cosub.trainMissing", defaultValue = "true")
    private boolean trainMissing;

    /**
     * Which part of the grid this build trains, {@code i/n} (0-based): the configurations are
     * sorted by config hash and every n-th from position i is this part's, so n CI matrix jobs
     * or Slurm array tasks split a sweep with no coordination; a last job merges their
     * leaderboards with {@code leaderboards} and {@code trainMissing=false}. Default: all.
     */
    @Parameter(property = "cosub.shard")
    private String shard;

    @Override
    protected void run() throws IOException {
        List<RunConfig> whole = Grid.of(this::builder,
                Grid.list("architectures", architectures, architecture),
                Grid.list("methods", methods, method), Grid.seeds(seeds, seed),
                Grid.list("budgets", budgets, budget));
        Goals.compare(workspace(), whole, Shard.parse(shard), leaderboards == null ? List.of()
                : Arrays.stream(leaderboards).map(File::toPath).toList(), trainMissing, log());
    }
}
