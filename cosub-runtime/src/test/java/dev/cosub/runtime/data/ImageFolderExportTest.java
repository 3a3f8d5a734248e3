package dev.cosub.runtime.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("slow") // exports and reads real image folders
class ImageFolderExportTest {

    /** Written as PNG files and read back through the folder reader, every image is the same. */
    @Test
    void theFolderReaderSeesExactlyTheExportedImages(@TempDir Path out) throws Exception {
        ImageDataset original = Datasets.load("synthetic", null, 60, 0);
        ImageFolderExport.write(original.train(), out.resolve("train"), original.classes());
        ImageFolderExport.write(original.test(), out.resolve("val"), original.classes());

        ImageDataset folder = Datasets.load(DataSpec.of("folder", out), message -> { });
        assertEquals(original.shape(), folder.shape());
        assertEquals(60, folder.train().count());
        assertEquals(original.test().count(), folder.test().count());
        assertImagesMatch(original.train(), folder.train());
    }

    /** An interrupted export is written again; a finished one is used as it is. */
    @Test
    void anExportIsMovedIntoPlaceWhenCompleteAndMadeOnce(@TempDir Path root) throws Exception {
        Path folder = root.resolve("synthetic-png");
        Path staging = root.resolve("synthetic-png.partial");
        Files.createDirectories(staging.resolve("train").resolve("9"));
        Files.writeString(staging.resolve("train").resolve("9").resolve("left-over.png"), "x");
        List<String> log = new ArrayList<>();

        ImageFolderExport.exportOnce("synthetic", null, folder, log::add);
        assertFalse(Files.exists(staging), "the staging folder was moved into place");
        assertFalse(Files.exists(folder.resolve("train").resolve("9").resolve("left-over.png")));
        ImageDataset written = Datasets.load(DataSpec.of("folder", folder), message -> { });
        ImageDataset original = Datasets.load("synthetic", null, 0, 0);
        assertEquals(original.train().count(), written.train().count());
        assertEquals(original.test().count(), written.test().count());

        Files.writeString(folder.resolve("marker"), "kept");
        ImageFolderExport.exportOnce("synthetic", null, folder, log::add);
        assertEquals("kept", Files.readString(folder.resolve("marker")), "not written twice");
        assertTrue(log.get(log.size() - 1).contains("using the image folder"), log.toString());
    }

    /** The folder lists images by class, so match them by content and compare labels. */
    private static void assertImagesMatch(ImageSource expected, ImageSource actual) {
        Map<String, Integer> labels = new HashMap<>();
        for (int i = 0; i < expected.count(); i++) {
            labels.put(java.util.Arrays.toString(expected.read(i).pixels()), expected.label(i));
        }
        for (int i = 0; i < actual.count(); i++) {
            String key = java.util.Arrays.toString(actual.read(i).pixels());
            assertEquals(labels.get(key), actual.label(i), "image " + i);
        }
    }
}
