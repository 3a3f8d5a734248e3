package dev.cosub.runtime.model;

import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;

/** Small building blocks that several architectures share. */
public final class Layers {

    private Layers() {}

    /** LayerNorm over the channel axis of channels-last tokens (B, N, C). */
    public static LayerNorm tokenNorm() {
        return LayerNorm.builder().axis(2).optEpsilon(1e-6f).build();
    }

    /** Two-layer perceptron with GELU (exact erf form): C -> hidden -> C. */
    public static Block mlp(int dim, int hidden) {
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
