package dev.cosub.runtime.runs;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import dev.cosub.runtime.data.ImageDataset;
import dev.cosub.runtime.io.AtomicFiles;
import dev.cosub.runtime.io.InvalidDataException;
import dev.cosub.runtime.train.RunConfig;
import dev.cosub.runtime.train.Training;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** A trained network's weights on disk, in DJL's parameter format. */
public final class Checkpoint {

    private Checkpoint() {}

    /** Saves the network's parameters atomically: a crash never leaves a partial file. */
    public static void save(Block network, Path file) throws IOException {
        AtomicFiles.write(file, out -> {
            DataOutputStream data = new DataOutputStream(out);
            network.saveParameters(data);
            data.flush();
        });
    }

    /**
     * Rebuilds the network {@code config} describes for {@code data} and loads its weights.
     *
     * @param manager owns the weights; its device is where they live
     * @throws InvalidDataException naming the file when it is missing, truncated or was saved
     *     from another architecture
     */
    public static Block load(RunConfig config, ImageDataset data, Path file, NDManager manager) {
        return load(config, Training.initializedNetwork(config, data, manager), file, manager);
    }

    /**
     * Loads the weights in {@code file} into {@code network}, the initialised network that
     * {@code config} describes.
     *
     * @throws InvalidDataException naming the file when it is missing, truncated or was saved
     *     from another architecture
     */
    public static Block load(RunConfig config, Block network, Path file, NDManager manager) {
        try (DataInputStream in =
                new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            network.loadParameters(manager, in);
            if (in.read() != -1) {
                throw new InvalidDataException(file + " has data left after the weights of "
                        + config.architecture() + "-" + config.size()
                        + ": it was saved from another network");
            }
        } catch (NoSuchFileException e) {
            throw new InvalidDataException("checkpoint " + file + " does not exist", e);
        } catch (EOFException e) {
            throw new InvalidDataException("checkpoint " + file + " is truncated", e);
        } catch (IOException | MalformedModelException | RuntimeException e) {
            if (e instanceof InvalidDataException invalid) {
                throw invalid;
            }
            throw new InvalidDataException("checkpoint " + file + " does not hold the weights of "
                    + config.architecture() + "-" + config.size() + ": " + e.getMessage(), e);
        }
        return network;
    }
}
