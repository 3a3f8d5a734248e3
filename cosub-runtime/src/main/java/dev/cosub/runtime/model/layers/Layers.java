package dev.cosub.runtime.model.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.LayerNorm;
import java.util.function.BiFunction;
import java.util.function.Function;

/** Small building blocks that several architectures share. */
public final class Layers {

    private Layers() {}

    /**
     * A fixed array that lives with the network's parameters, on their device, so that it is not
     * copied from the host at every step. It takes no gradient, no weight decay and no part in
     * the parameter count.
     *
     * @param values computes the array for the shape the parameter is given
     */
    static Parameter constant(String name, Shape shape,
            BiFunction<NDManager, Shape, NDArray> values) {
        return Parameter.builder()
                .setName(name)
                .setType(Parameter.Type.OTHER)
                .optRequiresGrad(false)
                .optShape(shape)
                .optInitializer((manager, s, dataType) -> values.apply(manager, s))
                .build();
    }

    /**
     * Queries, keys and values of an attention, each (rows, tokens, heads, head width), as
     * views of the qkv projection's output (rows, tokens, 3 x width). Split along the channels
     * before any axis moves: the gradient then flows back through one concatenation, where
     * stacking the three on a new first axis cost a zero-filled array of the whole stack per
     * part (selections) or a copy across five permuted axes (reshaping back).
     */
    static NDList queriesKeysValues(NDArray projected, int heads) {
        Shape shape = projected.getShape();
        long headWidth = shape.get(2) / 3 / heads;
        NDList parts = new NDList(3);
        for (NDArray part : projected.split(3, 2)) {
            parts.add(part.reshape(shape.get(0), shape.get(1), heads, headWidth));
        }
        return parts;
    }

    /** Refuses an attention width that the number of heads does not divide. */
    static void requireHeads(int dim, int heads) {
        if (heads < 1 || dim % heads != 0) {
            throw new IllegalArgumentException(
                    "attention width " + dim + " is not divisible by " + heads + " heads");
        }
    }

    /** LayerNorm over the channel axis of channels-last tokens (B, N, C). */
    public static LayerNorm tokenNorm() {
        return LayerNorm.builder().axis(2).optEpsilon(1e-6f).build();
    }

    /** LayerNorm over the last axis of an array of {@code rank} axes. */
    public static LayerNorm lastAxisNorm(int rank) {
        return LayerNorm.builder().axis(rank - 1).optEpsilon(1e-6f).build();
    }

    /** LayerNorm over the channels of each pixel of (B, C, H, W) feature maps. */
    public static Block channelNorm() {
        return new SequentialBlock()
                .add(toChannelsLast())
                .add(lastAxisNorm(4))
                .add(toChannelsFirst());
    }

    /** (B, C, H, W) to (B, H, W, C). */
    public static Block toChannelsLast() {
        return lambda(x -> x.transpose(0, 2, 3, 1));
    }

    /** (B, H, W, C) to (B, C, H, W). */
    public static Block toChannelsFirst() {
        return lambda(x -> x.transpose(0, 3, 1, 2));
    }

    /** (B, C, H, W) to tokens (B, H*W, C). */
    public static Block gridToTokens() {
        return lambda(x -> x.reshape(x.getShape().get(0), x.getShape().get(1), -1)
                .transpose(0, 2, 1));
    }

    /** A parameter-free block applying {@code function} to its single input. */
    public static Block lambda(Function<NDArray, NDArray> function) {
        return new LambdaBlock(inputs -> new NDList(function.apply(inputs.singletonOrThrow())));
    }

    /** A square 2-D convolution. */
    public static Conv2d conv(int filters, int kernel, int stride, int padding, int groups,
            boolean bias) {
        return Conv2d.builder()
                .setFilters(filters)
                .setKernelShape(new Shape(kernel, kernel))
                .optStride(new Shape(stride, stride))
                .optPadding(new Shape(padding, padding))
                .optGroups(groups)
                .optBias(bias)
                .build();
    }

    /** Convolution without bias, then BatchNorm. */
    public static SequentialBlock convBn(int filters, int kernel, int stride, int groups) {
        return new SequentialBlock()
                .add(conv(filters, kernel, stride, kernel / 2, groups, false))
                .add(BatchNorm.builder().build());
    }

    /** Two-layer perceptron with GELU (exact erf form): C -> hidden -> C. */
    public static SequentialBlock mlp(int dim, int hidden) {
        return new SequentialBlock()
                .add(Linear.builder().setUnits(hidden).build())
                .add(Activation::gelu)
                .add(Linear.builder().setUnits(dim).build());
    }

    /** {@code x + dropPath(layer(LayerNorm(x)))} on tokens (B, N, C). */
    public static Residual preNorm(Block layer, float dropRate) {
        return new Residual(new SequentialBlock().add(tokenNorm()).add(layer), dropRate);
    }
}
