package dev.cosub.runtime.data;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/** CIFAR-10 and CIFAR-100 in their binary distributions. */
final class CifarDataset implements DatasetFamily {

    static final CifarDataset CIFAR10 = new CifarDataset(CifarFiles.Kind.CIFAR10,
            new float[] {0.4914f, 0.4822f, 0.4465f}, new float[] {0.2470f, 0.2435f, 0.2616f},
            "CIFAR-10's binary files (data_batch_1.bin to data_batch_5.bin, test_batch.bin)");
    static final CifarDataset CIFAR100 = new CifarDataset(CifarFiles.Kind.CIFAR100,
            new float[] {0.5071f, 0.4865f, 0.4409f}, new float[] {0.2673f, 0.2564f, 0.2762f},
            "CIFAR-100's binary files (train.bin, test.bin)");

    private final CifarFiles.Kind kind;
    private final float[] mean;
    private final float[] std;
    private final String files;

    private CifarDataset(CifarFiles.Kind kind, float[] mean, float[] std, String files) {
        this.kind = kind;
        this.mean = mean;
        this.std = std;
        this.files = files;
    }

    @Override
    public String name() {
        return kind.name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String directoryDescription() {
        return "the directory of its .bin files";
    }

    @Override
    public List<Path> requiredFiles(Path directory) {
        return kind.files(directory);
    }

    @Override
    public String hint(Path directory) {
        return "; expected " + files + " in " + (directory == null ? "it" : directory)
                + " or in its folder " + kind.archiveFolder;
    }

    @Override
    public ImageDataset load(DataSpec spec, Path directory, Consumer<String> log) {
        LabeledImages train = CifarFiles.read(kind, directory, false)
                .subset(spec.trainSubset(), spec.seed());
        LabeledImages test = CifarFiles.read(kind, directory, true);
        return InMemoryDataset.of(spec, name(), train, test,
                CifarFiles.classNames(kind, directory), new Normalization(mean, std), 4, true,
                kind.files(directory).stream().map(DataPart::file).toList());
    }
}
