package dev.cosub.runtime.runs;

import dev.cosub.runtime.data.DataPart;
import dev.cosub.runtime.data.ImageDataset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The data of a run as its record keeps it, and the check that data given later is the same:
 * parts are matched by role, not by path, so that a copy of the data elsewhere is recognised
 * and data that differs is caught wherever it lies.
 */
public final class TrainingData {

    private TrainingData() {}

    /** The parts of {@code data} with their hashes, as a run's record keeps them. */
    public static List<RunRecord.DataFile> of(ImageDataset data) {
        return data.parts().stream().map(TrainingData::record).toList();
    }

    private static RunRecord.DataFile record(DataPart part) {
        return new RunRecord.DataFile(part.role(), part.path().toString(), part.sha256(),
                part.contentSha256(), part.images() == null ? null : part.images().size());
    }

    /**
     * Every way {@code now} differs from the data a run recorded, {@code trained}: a part whose
     * content differs, a part the run had that {@code now} lacks, and a part of {@code now}
     * that the run never saw (an extra class folder, say). Empty when they hold the same data.
     */
    public static List<String> differences(List<RunRecord.DataFile> trained,
            List<RunRecord.DataFile> now) {
        Map<String, RunRecord.DataFile> before = byRole(trained);
        Map<String, RunRecord.DataFile> after = byRole(now);
        List<String> differences = new ArrayList<>();
        before.forEach((role, old) -> {
            RunRecord.DataFile found = after.get(role);
            if (found == null) {
                differences.add(role + ": the run's " + old.path() + " has no counterpart in"
                        + " the data given");
            } else if (!found.sameContentAs(old)) {
                differences.add(role + ": " + describe(found) + " differs from the run's "
                        + describe(old));
            }
        });
        after.forEach((role, extra) -> {
            if (!before.containsKey(role)) {
                differences.add(role + ": " + extra.path() + " is not part of the data the run"
                        + " was trained on");
            }
        });
        return differences;
    }

    private static Map<String, RunRecord.DataFile> byRole(List<RunRecord.DataFile> files) {
        Map<String, RunRecord.DataFile> byRole = new LinkedHashMap<>();
        files.forEach(file -> byRole.put(file.roleOrDerived(), file));
        return byRole;
    }

    private static String describe(RunRecord.DataFile file) {
        if (file.images() != null) {
            return String.format(Locale.ROOT, "%s (%,d %s, listing SHA-256 %s)", file.path(),
                    file.images(), file.images() == 1 ? "image" : "images", file.sha256());
        }
        return file.path() + " (SHA-256 " + file.sha256()
                + (file.contentSha256() != null ? ", decompressed " + file.contentSha256() : "")
                + ")";
    }
}
