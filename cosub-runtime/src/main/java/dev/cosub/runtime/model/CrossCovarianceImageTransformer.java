package dev.cosub.runtime.model;

import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import dev.cosub.runtime.model.layers.ClassAttentionBlock;
import dev.cosub.runtime.model.layers.ClassTokenEmbedding;
import dev.cosub.runtime.model.layers.CrossCovarianceAttention;
import dev.cosub.runtime.model.layers.DropPathSchedule;
import dev.cosub.runtime.model.layers.FourierPositions;
import dev.cosub.runtime.model.layers.LayerScale;
import dev.cosub.runtime.model.layers.Layers;
import dev.cosub.runtime.model.layers.WeightInit;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * XCiT: a stem of stride-2 3x3 convolutions with BatchNorm and GELU, Fourier positional
 * encoding, XCA blocks of three residual sub-layers (cross-covariance attention, local patch
 * interaction, MLP; each with LayerScale), then two class-attention blocks, a final LayerNorm and
 * a linear head on the class token.
 *
 * <p>Stochastic depth follows XCiT: the same rate on every XCA sub-layer and none on the
 * class-attention blocks, whatever schedule is asked for.
 */
public final class CrossCovarianceImageTransformer extends SizedArchitecture<CrossCovarianceImageTransformer.Config> {

    /**
     * An XCiT configuration.
     *
     * @param patch total stride of the stem, a power of two
     * @param dim token width
     * @param depth XCA blocks
     * @param heads attention heads
     * @param layerScale LayerScale's initial value (eta)
     */
    public record Config(int patch, int dim, int depth, int heads, float layerScale) {}

    static final int CLASS_ATTENTION_BLOCKS = 2;
    static final int MLP_RATIO = 4;

    private static final Map<String, Config> SIZES = new LinkedHashMap<>();

    static {
        // nano: a 4-pixel stem, 7x7 tokens for 28x28 images, 8x8 for 32x32.
        SIZES.put("nano", new Config(4, 64, 6, 4, 1f));
        // XCiT-Nano-12/16.
        SIZES.put("nano12", new Config(16, 128, 12, 4, 1f));
    }

    public CrossCovarianceImageTransformer() {
        super("xcit", SIZES);
    }

    @Override
    Block build(Config config, ModelSpec spec) {
        ImageShape input = spec.input();
        requireDivisible(input, config.patch());
        int height = input.height() / config.patch();
        int width = input.width() / config.patch();
        int dim = config.dim();
        float[] rates = DropPathSchedule.UNIFORM.rates(spec.dropPath(), config.depth());

        SequentialBlock network = new SequentialBlock()
                .add(stem(config.patch(), dim))
                .add(new FourierPositions(dim))
                .add(Layers.gridToTokens());
        for (float rate : rates) {
            network.add(xcaBlock(dim, config.heads(), height, width, config.layerScale(), rate));
        }
        network.add(new ClassTokenEmbedding(false));
        for (int i = 0; i < CLASS_ATTENTION_BLOCKS; i++) {
            network.add(new ClassAttentionBlock(dim, config.heads(), MLP_RATIO,
                    config.layerScale()));
        }
        network.add(Layers.tokenNorm())
                .addSingleton(VisionTransformer::classToken)
                .add(Linear.builder().setUnits(spec.classes()).build());
        return network;
    }

    /**
     * As timm's XCiT, which initialises only its linear layers: see
     * {@link WeightInit#transformerLayers}.
     */
    @Override
    void initializeWeights(Block block) {
        WeightInit.transformerLayers(block);
    }


    /** log2(patch) stride-2 3x3 convolutions, widths doubling up to {@code dim}. */
    static Block stem(int patch, int dim) {
        int convolutions = Integer.numberOfTrailingZeros(patch);
        if (patch < 2 || Integer.bitCount(patch) != 1) {
            throw new IllegalArgumentException("xcit patch must be a power of two, got " + patch);
        }
        SequentialBlock stem = new SequentialBlock();
        for (int i = convolutions - 1; i >= 0; i--) {
            stem.add(Layers.convBn(dim >> i, 3, 2, 1));
            if (i > 0) {
                stem.add(Activation::gelu);
            }
        }
        return stem;
    }

    /** An XCA block: three pre-norm residual sub-layers, each scaled by LayerScale. */
    static Block xcaBlock(int dim, int heads, int height, int width, float layerScale,
            float rate) {
        return new SequentialBlock()
                .add(Layers.preNorm(new SequentialBlock()
                        .add(new CrossCovarianceAttention(dim, heads))
                        .add(new LayerScale(layerScale)), rate))
                .add(Layers.preNorm(new SequentialBlock()
                        .add(localPatchInteraction(dim, height, width))
                        .add(new LayerScale(layerScale)), rate))
                .add(Layers.preNorm(new SequentialBlock()
                        .add(Layers.mlp(dim, dim * MLP_RATIO))
                        .add(new LayerScale(layerScale)), rate));
    }

    /**
     * Local patch interaction on tokens (B, H*W, C): depthwise 3x3 convolution, GELU, BatchNorm,
     * depthwise 3x3 convolution on the token grid, so that neighbouring patches exchange
     * information that cross-covariance attention does not carry.
     */
    static Block localPatchInteraction(int dim, int height, int width) {
        return new SequentialBlock()
                .add(Layers.lambda(tokens -> tokens.transpose(0, 2, 1)
                        .reshape(tokens.getShape().get(0), dim, height, width)))
                .add(Layers.conv(dim, 3, 1, 1, dim, true))
                .add(Activation::gelu)
                .add(BatchNorm.builder().build())
                .add(Layers.conv(dim, 3, 1, 1, dim, true))
                .add(Layers.gridToTokens());
    }
}
