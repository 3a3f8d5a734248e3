package dev.cosub.maven;

import dev.cosub.runtime.goals.Goals;
import java.io.IOException;
import org.apache.maven.plugins.annotations.Mojo;

/**
 * Writes the comparison tables and the HTML report {@code report/index.html} for every run of
 * the leaderboard under {@code outputDirectory}, training nothing. Open the page in any browser:
 * it is one self-contained file.
 */
@Mojo(name = "report", threadSafe = true)
public class ReportMojo extends CosubMojo {

    @Override
    protected void run() throws IOException {
        Goals.report(outputDirectory.toPath(), log());
    }
}
