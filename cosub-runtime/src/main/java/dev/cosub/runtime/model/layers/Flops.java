package dev.cosub.runtime.model.layers;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Convolution;
import ai.djl.nn.core.Linear;

/**
 * Forward FLOPs of a network, counted from the shapes its layers were initialised with: two per
 * multiply-add of every convolution, linear layer and attention product. Normalisations,
 * activations, softmax and additions are left out, as common FLOP counters do.
 *
 * <p>A block whose work is not the sum of its children's (an attention's products between
 * activations, a window attention whose layers run once per window) implements {@link Counted}.
 */
public final class Flops {

    /** A block that counts its own forward FLOPs, its children included. */
    public interface Counted {
        /** Forward FLOPs for the input shape the block was initialised with. */
        long forwardFlops();
    }

    private Flops() {}

    /**
     * Forward FLOPs per image of an initialised network.
     *
     * @throws IllegalStateException when the network is not initialised
     */
    public static long perImage(Block network) {
        return of(network) / network.getInputShapes()[0].get(0);
    }

    /** Forward FLOPs of an initialised block for the input shape it was initialised with. */
    public static long of(Block block) {
        if (block instanceof Counted counted) {
            return counted.forwardFlops();
        }
        if (block instanceof Linear) {
            Shape input = block.getInputShapes()[0];
            Shape output = block.getOutputShapes(block.getInputShapes())[0];
            return 2 * input.size() * output.get(output.dimension() - 1);
        }
        if (block instanceof Convolution) {
            Shape output = block.getOutputShapes(block.getInputShapes())[0];
            Shape kernel = block.getParameters().get("weight").getArray().getShape();
            // Each output value is a product over (input channels / groups) x kernel.
            return 2 * output.size() * (kernel.size() / kernel.get(0));
        }
        long flops = 0;
        for (Block child : block.getChildren().values()) {
            flops += of(child);
        }
        return flops;
    }

    /**
     * FLOPs of the two products of scaled dot-product attention, {@code q k^T} and
     * {@code attention v}.
     *
     * @param rows rows that run attention (images, or windows)
     * @param queries query tokens per row
     * @param keys key tokens per row
     * @param dim the total width of all heads
     */
    static long attention(long rows, long queries, long keys, long dim) {
        return 2 * 2 * rows * queries * keys * dim;
    }
}
