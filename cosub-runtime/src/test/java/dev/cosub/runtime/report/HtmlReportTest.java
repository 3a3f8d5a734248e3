package dev.cosub.runtime.report;

import static dev.cosub.runtime.runs.LeaderboardRows.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cosub.runtime.eval.Diagnostics;
import dev.cosub.runtime.runs.LeaderboardRow;
import dev.cosub.runtime.runs.LeaderboardRows;
import dev.cosub.runtime.train.EpochMetrics;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report as a person sees it: rendered by headless Chromium (Debian's {@code chromium}
 * package), then checked on the screenshot and on the text of the rendered page.
 */
class HtmlReportTest {

    @TempDir
    Path dir;

    private static List<HtmlReport.Curve> curves() {
        List<HtmlReport.Curve> curves = new ArrayList<>();
        for (int seed = 0; seed < 3; seed++) {
            for (String method : List.of("baseline", "cosub")) {
                List<EpochMetrics> epochs = new ArrayList<>();
                boolean cosub = method.equals("cosub");
                for (int epoch = 1; epoch <= 5; epoch++) {
                    double test = 0.5 + 0.06 * epoch + 0.01 * seed + (cosub ? 0.01 : 0);
                    epochs.add(new EpochMetrics(epoch, 0.3, test, 0.99, 0.2, 1e-3, 500, 10,
                            new Diagnostics(test + 0.02 * epoch, 0.2, test - 0.03,
                                    (cosub ? 0.9 : 0.8) + 0.01 * epoch, 0.02)));
                }
                curves.add(new HtmlReport.Curve(method + seed, "vit-recipe", method, seed,
                        cosub ? 20_000 : 10_000, epochs));
            }
        }
        return curves;
    }

    private static Process chromium(Path workDir, String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("chromium", "--headless", "--no-sandbox",
                "--disable-gpu", "--hide-scrollbars", "--user-data-dir=" + workDir.resolve("profile")));
        command.addAll(List.of(arguments));
        try {
            return new ProcessBuilder(command).redirectError(workDir.resolve("chromium.log").toFile())
                    .start();
        } catch (java.io.IOException e) {
            throw new AssertionError("this test renders the report with headless Chromium:"
                    + " install Debian's chromium package (apt-get install chromium)", e);
        }
    }

    @Tag("slow") // starts Chromium
    @Test
    void theReportRendersItsChartsAndTextInABrowser() throws Exception {
        List<LeaderboardRow> runs = new ArrayList<>();
        double[] baseline = {0.80, 0.82, 0.81};
        double[] cosub = {0.83, 0.84, 0.82};
        for (int seed = 0; seed < 3; seed++) {
            runs.add(row("baseline" + seed, "vit", "baseline", seed, baseline[seed], "b" + seed));
            runs.add(row("cosub" + seed, "vit", "cosub", seed, cosub[seed], "c" + seed));
        }
        // A second cell of the map, at a stronger drop-path, where cosub trails consistently.
        for (int seed = 0; seed < 3; seed++) {
            runs.add(LeaderboardRows.inCell(row("baseline" + seed, "vit", "baseline", seed,
                    0.80, "b" + seed), 10_000, 0.3f));
            runs.add(LeaderboardRows.inCell(row("cosub" + seed, "vit", "cosub", seed,
                    0.79 + 0.001 * seed, "c" + seed), 10_000, 0.3f));
        }
        List<Comparison.Row> rows = Comparison.of(runs);
        Path page = dir.resolve("report").resolve("index.html");
        HtmlReport.write(page, "cosub vs baseline: test", rows, runs, curves());

        String html = Files.readString(page);
        assertFalse(html.contains("<script"), "no script");
        assertFalse(html.replace("http://www.w3.org/2000/svg", "").matches("(?s).*https?://.*"),
                "nothing fetched from anywhere");
        assertFalse(html.contains("src="), "no external images");

        Path screenshot = dir.resolve("report.png");
        Process shot = chromium(dir, "--window-size=1280,3600", "--screenshot=" + screenshot,
                page.toUri().toString());
        assertTrue(shot.waitFor(120, TimeUnit.SECONDS), "chromium took over two minutes");
        assertEquals(0, shot.exitValue(), Files.readString(dir.resolve("chromium.log")));
        BufferedImage image = ImageIO.read(screenshot.toFile());
        assertEquals(1280, image.getWidth());
        assertTrue(pixelsOf(image, 0x4477aa) > 2_000,
                "baseline bars and curves in the baseline colour");
        assertTrue(pixelsOf(image, 0xee6677) > 2_000, "cosub bars and curves in its colour");

        Process dom = chromium(dir, "--dump-dom", page.toUri().toString());
        String rendered = new String(dom.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(dom.waitFor(120, TimeUnit.SECONDS));
        for (String text : List.of("Verdicts", "no detectable difference",
                "+2.00 pp [-0.48, +4.48]", "81.00% [78.52, 83.48]", "Learning curves",
                "by rows processed", "clean train top-1 (dashed) and test top-1",
                "two random submodels agree", "test loss (clean train loss dashed)",
                "Accuracy against training time",
                "Test loss and fit", "The difference over the settings",
                "vit-nano simple, epochs budget", "10,000 × 3", "-0.90 pp [-1.15, -0.65]",
                "3 seed(s): baseline better")) {
            assertTrue(rendered.contains(text), "the rendered page says " + text);
        }
    }

    /** Pixels within a small distance of {@code rgb}: anti-aliased edges count less. */
    private static int pixelsOf(BufferedImage image, int rgb) {
        int count = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int p = image.getRGB(x, y);
                int distance = Math.abs(((p >> 16) & 0xff) - ((rgb >> 16) & 0xff))
                        + Math.abs(((p >> 8) & 0xff) - ((rgb >> 8) & 0xff))
                        + Math.abs((p & 0xff) - (rgb & 0xff));
                count += distance < 24 ? 1 : 0;
            }
        }
        return count;
    }
}
