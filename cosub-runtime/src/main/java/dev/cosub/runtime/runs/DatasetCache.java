package dev.cosub.runtime.runs;

import dev.cosub.runtime.data.DataSpec;
import dev.cosub.runtime.data.Datasets;
import dev.cosub.runtime.data.ImageDataset;
import dev.cosub.runtime.train.RunConfig;
import java.util.function.Consumer;

/**
 * The dataset of the last configuration asked for: consecutive runs on the same data, and the
 * evaluations after them, load it once.
 */
public final class DatasetCache {

    private final Consumer<String> log;
    private DataSpec loadedKey;
    private ImageDataset loaded;

    public DatasetCache(Consumer<String> log) {
        this.log = log;
    }

    ImageDataset of(RunConfig config) {
        DataSpec key = config.dataSpec();
        if (!key.equals(loadedKey)) {
            loaded = null;
            loaded = Datasets.load(key, log);
            loadedKey = key;
        }
        return loaded;
    }
}
