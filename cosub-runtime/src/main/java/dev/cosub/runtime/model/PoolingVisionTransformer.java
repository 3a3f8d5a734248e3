package dev.cosub.runtime.model;

import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import dev.cosub.runtime.model.layers.ClassTokenEmbedding;
import dev.cosub.runtime.model.layers.Layers;
import dev.cosub.runtime.model.layers.LearnedPositions;
import dev.cosub.runtime.model.layers.TokenPooling;
import dev.cosub.runtime.model.layers.WeightInit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * PiT: an overlapping convolutional stem with a learned 2-D position embedding, a class token,
 * then three stages of ViT blocks separated by {@link TokenPooling}, which halves the patch grid
 * and doubles the width; final LayerNorm and a linear head on the class token.
 */
public final class PoolingVisionTransformer extends SizedArchitecture<PoolingVisionTransformer.Config> {

    /**
     * A PiT configuration.
     *
     * @param patch side of the stem's convolution kernel
     * @param stride stride of the stem (smaller than the patch: patches overlap)
     * @param headDim channels per attention head; a stage's width is heads x headDim
     * @param depths blocks per stage
     * @param heads attention heads per stage
     * @param mlpRatio hidden width of the MLPs over the block width
     */
    public record Config(int patch, int stride, int headDim, List<Integer> depths,
            List<Integer> heads, int mlpRatio) {}

    private static final Map<String, Config> SIZES = new LinkedHashMap<>();

    static {
        // nano: 6x6 patches every 3 pixels (half-overlapping, as PiT's 16 every 8): grids of
        // 8, 4, 2 for 28x28 inputs and 9, 5, 3 for 32x32.
        SIZES.put("nano", new Config(6, 3, 16, List.of(2, 2, 2), List.of(2, 4, 8), 4));
        // PiT-Ti.
        SIZES.put("tiny", new Config(16, 8, 32, List.of(2, 6, 4), List.of(2, 4, 8), 4));
    }

    public PoolingVisionTransformer() {
        super("pit", SIZES);
    }

    @Override
    Block build(Config config, ModelSpec spec) {
        ImageShape input = spec.input();
        if (input.height() < config.patch() || input.width() < config.patch()) {
            throw new IllegalArgumentException("pit with patch " + config.patch()
                    + " needs images of at least that side, got " + input);
        }
        int height = (input.height() - config.patch()) / config.stride() + 1;
        int width = (input.width() - config.patch()) / config.stride() + 1;
        int dim = config.heads().get(0) * config.headDim();
        int blocks = config.depths().stream().mapToInt(Integer::intValue).sum();
        float[] rates = spec.schedule().rates(spec.dropPath(), blocks);

        SequentialBlock network = new SequentialBlock()
                .add(Layers.conv(dim, config.patch(), config.stride(), 0, 1, true))
                .add(new LearnedPositions())
                .add(Layers.gridToTokens())
                .add(new ClassTokenEmbedding(false));
        int block = 0;
        for (int stage = 0; stage < config.depths().size(); stage++) {
            if (stage > 0) {
                network.add(new TokenPooling(height, width, dim));
                height = TokenPooling.pooledSide(height);
                width = TokenPooling.pooledSide(width);
                dim *= 2;
            }
            int heads = config.heads().get(stage);
            if (heads * config.headDim() != dim) {
                throw new IllegalStateException("pit stage " + stage + ": " + heads + " heads of "
                        + config.headDim() + " do not make width " + dim);
            }
            for (int i = 0; i < config.depths().get(stage); i++) {
                network.add(VisionTransformer.encoderBlock(dim, heads, config.mlpRatio(),
                        rates[block++]));
            }
        }
        network.add(Layers.tokenNorm())
                .addSingleton(VisionTransformer::classToken)
                .add(Linear.builder().setUnits(spec.classes()).build());
        return network;
    }

    /**
     * As timm's PiT: only the positions, the class token (trunc-normal 0.02, set where they are
     * made) and the LayerNorms (ones and zeros) are initialised; linear layers and convolutions
     * keep PyTorch's initialisation.
     */
    @Override
    void initializeWeights(Block block) {
        if (WeightInit.isLinear(block) || WeightInit.isConvolution(block)) {
            WeightInit.pytorchDefault(block);
        }
    }
}
