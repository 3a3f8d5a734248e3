package dev.cosub.runtime.model;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.initializer.TruncatedNormalInitializer;
import java.util.LinkedHashMap;

import java.util.Map;

/**
 * ViT: patch embedding, class token and learned positions, pre-norm transformer blocks with
 * drop-path on both residual branches, final LayerNorm and a linear head on the class token.
 */
public final class VisionTransformer extends SizedArchitecture<VisionTransformer.Config> {

    /** A ViT configuration. */
    public record Config(int patch, int dim, int depth, int heads, int mlpRatio) {}

    private static final Map<String, Config> SIZES = new LinkedHashMap<>();

    static {
        // nano: for 28x28 and 32x32 inputs, 7x7 or 8x8 patches of 4 pixels.
        SIZES.put("nano", new Config(4, 64, 4, 4, 4));
        SIZES.put("tiny", new Config(16, 192, 12, 3, 4));
        SIZES.put("small", new Config(16, 384, 12, 6, 4));
    }

    public VisionTransformer() {
        super("vit", SIZES);
    }

    /**
     * A pre-norm transformer block on tokens (B, N, C): self-attention then MLP, each as a
     * residual branch with drop-path.
     */
    static Block encoderBlock(int dim, int heads, int mlpRatio, float dropRate) {
        return new SequentialBlock()
                .add(Layers.preNorm(new MultiHeadSelfAttention(dim, heads), dropRate))
                .add(Layers.preNorm(Layers.mlp(dim, dim * mlpRatio), dropRate));
    }

    @Override
    Block build(Config config, ModelSpec spec) {
        requireDivisible(spec.input(), config.patch());
        float[] rates = spec.schedule().rates(spec.dropPath(), config.depth());
        SequentialBlock network =
                new SequentialBlock()
                        .add(new PatchEmbedding(config.patch(), config.dim()))
                        .add(new ClassTokenEmbedding(true));
        for (float rate : rates) {
            network.add(encoderBlock(config.dim(), config.heads(), config.mlpRatio(), rate));
        }
        network.add(Layers.tokenNorm())
                .addSingleton(VisionTransformer::classToken)
                .add(Linear.builder().setUnits(spec.classes()).build());
        network.setInitializer(new TruncatedNormalInitializer(0.02f), Parameter.Type.WEIGHT);
        return network;
    }

    /** The class token (B, C) of tokens (B, 1 + N, C). */
    static NDArray classToken(NDArray tokens) {
        return tokens.get(":, 0, :");
    }
}
