package dev.cosub.runtime.runs;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import dev.cosub.runtime.io.AtomicFiles;
import dev.cosub.runtime.io.InvalidDataException;
import dev.cosub.runtime.io.Json;
import dev.cosub.runtime.train.Checkpoints;
import dev.cosub.runtime.train.DecoupledAdamW;
import dev.cosub.runtime.train.RunConfig;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A run's resumable checkpoint, {@code resume.ckpt} in its staging folder: one file, replaced
 * whole after every epoch. It holds a header (its configuration and how far the run had come),
 * the weights, and the optimizer's step counts and moments, framed by a marker at both ends so
 * that a torn file is recognised before anything is loaded from it.
 */
final class ResumeFile implements Checkpoints {

    static final String NAME = "resume.ckpt";
    private static final int MARKER = 0x636f7375;
    private static final int VERSION = 1;

    private final Path file;
    private final RunConfig config;
    private final String configHash;
    private final Consumer<String> log;

    ResumeFile(Path file, RunConfig config, Consumer<String> log) {
        this.file = file;
        this.config = config;
        this.configHash = Provenance.configHash(config);
        this.log = log;
    }

    /**
     * What a checkpoint says about itself.
     *
     * @param configHash the configuration's hash
     * @param config the configuration
     * @param progress how far it had come
     */
    public record Header(String configHash, RunConfig config, Progress progress) {}

    @Override
    public void save(Progress progress, Block network, DecoupledAdamW.State optimizer) {
        try {
            AtomicFiles.write(file, out -> {
                DataOutputStream data = new DataOutputStream(out);
                data.writeInt(MARKER);
                data.writeInt(VERSION);
                writeBytes(data, Json.toJson(new Header(configHash, config, progress))
                        .getBytes(StandardCharsets.UTF_8));
                network.saveParameters(data);
                data.writeInt(optimizer.steps().length);
                for (int steps : optimizer.steps()) {
                    data.writeInt(steps);
                }
                writeBytes(data, optimizer.moments().encode());
                data.writeInt(MARKER);
                data.flush();
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the checkpoint " + file, e);
        }
        log.accept("checkpoint of epoch " + progress.epochsDone() + " of "
                + config.trainedEpochs() + " written to " + file);
    }

    @Override
    public Optional<Restored> restore(Block network, NDManager manager) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the checkpoint " + file, e);
        }
        String problem = problem(bytes);
        if (problem != null) {
            setAside(problem);
            return Optional.empty();
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            in.readInt();
            in.readInt();
            Header header = Json.fromJson(new String(readBytes(in), StandardCharsets.UTF_8),
                    Header.class);
            network.loadParameters(manager, in);
            // DJL loads weights as plain arrays: training needs their gradients back.
            network.getParameters().values().stream()
                    .filter(parameter -> parameter.requiresGradient())
                    .forEach(parameter -> parameter.getArray().setRequiresGradient(true));
            int[] steps = new int[in.readInt()];
            for (int i = 0; i < steps.length; i++) {
                steps[i] = in.readInt();
            }
            NDList moments = NDList.decode(manager, readBytes(in));
            return Optional.of(new Restored(header.progress(),
                    new DecoupledAdamW.State(steps, moments)));
        } catch (IOException | MalformedModelException | RuntimeException e) {
            // The weights may be half loaded: this attempt cannot continue, the next one starts
            // afresh without this file.
            setAside("it cannot be loaded: " + e.getMessage());
            throw new InvalidDataException("checkpoint " + file + " could not be loaded ("
                    + e.getMessage() + "); it was set aside: run again to start afresh", e);
        }
    }

    /** Why the file cannot be resumed from, or {@code null} when its frame and header hold. */
    private String problem(byte[] bytes) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        if (bytes.length < 12 || buffer.getInt(0) != MARKER
                || buffer.getInt(bytes.length - 4) != MARKER) {
            return "it is torn or not a cosub checkpoint";
        }
        if (buffer.getInt(4) != VERSION) {
            return "it was written by another version of cosub (format " + buffer.getInt(4) + ")";
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes, 8,
                bytes.length - 8))) {
            Header header = Json.fromJson(new String(readBytes(in), StandardCharsets.UTF_8),
                    Header.class);
            if (!configHash.equals(header.configHash())) {
                return "it is of configuration " + header.configHash() + ", not " + configHash;
            }
            if (header.progress().epochsDone() >= config.trainedEpochs()) {
                return "it says " + header.progress().epochsDone() + " epochs were done of "
                        + config.trainedEpochs();
            }
            return null;
        } catch (IOException | RuntimeException e) {
            return "its header cannot be read (" + e.getMessage() + ")";
        }
    }

    private void setAside(String why) {
        Path aside = file.resolveSibling(NAME + ".rejected-" + Instant.now().toEpochMilli());
        try {
            Files.move(file, aside, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot set aside the checkpoint " + file, e);
        }
        log.accept("checkpoint " + file + " is not resumed: " + why + "; set aside as " + aside
                + ", training from the start");
    }

    /** The header of a checkpoint file, or empty when it has none that can be read. */
    static Optional<Header> header(Path file) {
        try (DataInputStream in = new DataInputStream(Files.newInputStream(file))) {
            if (in.readInt() != MARKER || in.readInt() != VERSION) {
                return Optional.empty();
            }
            return Optional.of(Json.fromJson(new String(readBytes(in), StandardCharsets.UTF_8),
                    Header.class));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static void writeBytes(DataOutputStream out, byte[] bytes) throws IOException {
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > in.available()) {
            throw new IOException("a block of " + length + " bytes runs past the end");
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return bytes;
    }
}
