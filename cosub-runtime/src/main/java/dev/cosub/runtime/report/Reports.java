package dev.cosub.runtime.report;

import dev.cosub.runtime.runs.LeaderboardRow;
import dev.cosub.runtime.runs.Provenance;
import dev.cosub.runtime.runs.RunFolder;
import dev.cosub.runtime.runs.RunRecord;
import dev.cosub.runtime.runs.RunStore;
import dev.cosub.runtime.train.RunConfig;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The tables and the HTML report of an output directory's runs. */
public final class Reports {

    private Reports() {}

    /**
     * Writes {@code comparison.csv}, {@code comparison.md} and the HTML report
     * {@code report/index.html} for {@code runs}; the report's learning curves come from the
     * run folders of this output directory.
     */
    public static List<Comparison.Row> write(RunStore store, List<LeaderboardRow> runs)
            throws IOException {
        List<Comparison.Row> rows = Comparison.of(runs);
        Comparison.writeCsv(rows, store.comparisonCsv());
        Comparison.writeMarkdown(rows, runs, store.comparisonMarkdown());
        HtmlReport.write(store.report(), "cosub vs baseline: " + store.outputDirectory()
                .getFileName(), rows, runs, curves(store, runs));
        return rows;
    }

    /** The per-epoch figures of those of {@code runs} whose folders are here. */
    private static List<HtmlReport.Curve> curves(RunStore store, List<LeaderboardRow> runs)
            throws IOException {
        Set<String> wanted = new LinkedHashSet<>();
        runs.forEach(run -> wanted.add(run.runId()));
        List<HtmlReport.Curve> curves = new ArrayList<>();
        for (RunFolder run : store.list()) {
            RunRecord record = run.record();
            if (!wanted.contains(record.runId())) {
                continue;
            }
            RunConfig config = record.result().config();
            curves.add(new HtmlReport.Curve(record.runId(), Provenance.recipeHash(config),
                    config.method().toString(), config.seed(),
                    (long) record.result().dataset().trainImages()
                            * config.method().passesPerImage(), record.result().epochs()));
        }
        return curves;
    }
}
