package dev.cosub.runtime.runs;

import dev.cosub.runtime.io.Digests;
import dev.cosub.runtime.model.layers.DropPathMode;
import dev.cosub.runtime.train.Budget;
import dev.cosub.runtime.train.Method;
import dev.cosub.runtime.train.Recipe;
import dev.cosub.runtime.train.RunConfig;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** Where a run came from: the identity of its configuration, its data files and its code. */
public final class Provenance {

    private static final int CONFIG_HASH_HEX_DIGITS = 12;

    private Provenance() {}

    /**
     * A short hash of everything in {@code config} that decides the trained weights. Where the
     * data is (directory, address, cache) and what runs it (device, data threads) are left out:
     * the same recipe on the same data is the same configuration wherever its files are and
     * whatever runs it; an image folder, which has no name, is the exception (see
     * {@link #dataIdentity}). So is {@code evalEvery}, which changes which epochs are evaluated
     * but not the weights. The starting weights of {@code initFrom} enter by their SHA-256,
     * wherever they lie.
     */
    public static String configHash(RunConfig config) {
        String canonical = String.join("|",
                config.architecture(), config.size(), config.method().toString(),
                config.criterion().toString(), config.dataset(),
                Integer.toString(config.trainSubset()), Integer.toString(config.epochs()),
                Integer.toString(config.batchSize()), Float.toString(config.learningRate()),
                Float.toString(config.weightDecay()), Integer.toString(config.warmupEpochs()),
                Float.toString(config.dropPath()),
                config.dropPathSchedule().name().toLowerCase(Locale.ROOT),
                Float.toString(config.lambda()), Float.toString(config.gradientClipNorm()),
                Long.toString(config.seed()));
        // Fields added later enter only when they differ from their default, so that the
        // configurations that existed before keep their hash and their runs.
        if (config.dropPathMode() != DropPathMode.MASK) {
            canonical += "|dropPathMode=" + config.dropPathMode();
        }
        if (config.recipe() != Recipe.SIMPLE) {
            canonical += "|recipe=" + config.recipe();
        }
        if (config.budget() != Budget.EPOCHS) {
            canonical += "|budget=" + config.budget();
        }
        if (config.imageSize() != 0) {
            canonical += "|imageSize=" + config.imageSize();
        }
        if (config.normalization() != null) {
            canonical += "|normalization=" + config.normalization().toLowerCase(Locale.ROOT);
        }
        if (config.subsetSeed() != null) {
            canonical += "|subsetSeed=" + config.subsetSeed();
        }
        if (config.initFromSha256() != null) {
            canonical += "|initFrom=" + config.initFromSha256();
        }
        String data = dataIdentity(config);
        if (data != null) {
            canonical += "|data=" + data;
        }
        byte[] digest = Digests.sha256().digest(canonical.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest).substring(0, CONFIG_HASH_HEX_DIGITS);
    }

    /**
     * What names the data beyond the dataset's name: a downloaded archive's SHA-256, wherever
     * it came from; an image folder's absolute path, since a folder has no name of its own (its
     * content's listing hash is in the run's record); nothing for the named datasets, which are
     * the same files wherever they are.
     */
    private static String dataIdentity(RunConfig config) {
        if (config.dataSha256() != null) {
            return config.dataSha256().toLowerCase(Locale.ROOT);
        }
        if (config.dataset().equals("folder") && config.dataDirectory() != null) {
            return config.dataDirectory().toAbsolutePath().normalize().toString();
        }
        return null;
    }

    /**
     * The hash of what the methods of a comparison share: the configuration with its method,
     * seed and budget set aside. Runs with equal recipe hashes differ only in those, and are
     * compared with each other.
     */
    public static String recipeHash(RunConfig config) {
        return configHash(config.toBuilder().method(Method.BASELINE).seed(0).budget(Budget.EPOCHS)
                .build());
    }

    /**
     * The fields of {@code found} that differ from {@code asked} and change the weights, as
     * {@code name = found (asked: value)}.
     */
    public static List<String> differences(RunConfig asked, RunConfig found) {
        List<String> differences = new ArrayList<>();
        for (RecordComponent field : RunConfig.class.getRecordComponents()) {
            if (NOT_HASHED.contains(field.getName())) {
                continue;
            }
            try {
                Object wanted = field.getAccessor().invoke(asked);
                Object have = field.getAccessor().invoke(found);
                if (!Objects.equals(wanted, have)) {
                    differences.add(field.getName() + " = " + have + " (asked: " + wanted + ")");
                }
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("a record's accessor is public", e);
            }
        }
        return differences;
    }

    /** The fields of a configuration that do not change the trained weights. */
    public static final Set<String> NOT_HASHED = Set.of("dataDirectory", "dataUrl", "dataCache",
            "dataConnectTimeout", "dataReadTimeout", "dataUnpackLimit", "dataThreads", "device",
            "evalEvery", "initFrom");

    /**
     * The commit checked out in {@code directory}'s git work tree, with {@code -dirty} when it has
     * uncommitted changes; {@code null} when it is not in one or git is not installed.
     */
    public static String gitCommit(Path directory) {
        if (directory == null || !Files.isDirectory(directory)) {
            return null;
        }
        String commit = git(directory, "rev-parse", "HEAD");
        if (commit == null || commit.isEmpty()) {
            return null;
        }
        String changes = git(directory, "status", "--porcelain", "--untracked-files=no");
        return changes == null || changes.isEmpty() ? commit : commit + "-dirty";
    }

    private static String git(Path directory, String... arguments) {
        String[] command = new String[arguments.length + 3];
        command[0] = "git";
        command[1] = "-C";
        command[2] = directory.toString();
        System.arraycopy(arguments, 0, command, 3, arguments.length);
        try {
            Process process = new ProcessBuilder(command)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                return null;
            }
            return new String(out, StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

}
