package dev.cosub.maven;

import dev.cosub.runtime.goals.Experiments;
import dev.cosub.runtime.report.Comparison;
import java.io.IOException;
import java.util.List;
import org.apache.maven.plugins.annotations.Mojo;

/**
 * Writes the comparison tables and the HTML report {@code report/index.html} for every run of
 * the leaderboard under {@code outputDirectory}, training nothing. Open the page in any browser:
 * it is one self-contained file.
 */
@Mojo(name = "report", threadSafe = true)
public class ReportMojo extends ConfiguredMojo {

    @Override
    protected void run() throws IOException {
        Experiments experiments = experiments();
        List<Comparison.Row> rows = experiments.report();
        Comparison.verdicts(rows).forEach(line -> getLog().info("cosub: " + line));
        getLog().info("cosub: report of " + rows.size() + " comparison row(s) written to "
                + experiments.store().report());
    }
}
