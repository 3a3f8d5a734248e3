package dev.cosub.runtime.model;

import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import dev.cosub.runtime.model.layers.Layers;
import dev.cosub.runtime.model.layers.PatchMerging;
import dev.cosub.runtime.model.layers.Residual;
import dev.cosub.runtime.model.layers.WeightInit;
import dev.cosub.runtime.model.layers.WindowAttention;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Swin Transformer: a patchify stem with LayerNorm, stages of pre-norm blocks whose attention
 * works inside windows (every second block with windows shifted by half a window), patch merging
 * between stages, then LayerNorm, average pooling and a linear head. The feature map stays
 * channels-last, (B, H, W, C).
 */
public final class SwinTransformer extends SizedArchitecture<SwinTransformer.Config> {

    /**
     * A Swin configuration.
     *
     * @param patch side and stride of the stem's patchify convolution
     * @param dim width of the first stage; each merging doubles it
     * @param depths blocks per stage
     * @param heads attention heads per stage
     * @param window window side
     * @param mlpRatio hidden width of the MLPs over the block width
     */
    public record Config(int patch, int dim, List<Integer> depths, List<Integer> heads,
            int window, int mlpRatio) {}

    private static final Map<String, Config> SIZES = new LinkedHashMap<>();

    static {
        // nano: 2x2 patches, 4x4 windows: 28x28 gives maps of 14, 7 and 4 (padded to whole
        // windows), 32x32 gives 16, 8 and 4.
        SIZES.put("nano", new Config(2, 32, List.of(2, 2, 2), List.of(2, 4, 8), 4, 4));
        // Swin-T, window 7.
        SIZES.put("tiny", new Config(4, 96, List.of(2, 2, 6, 2), List.of(3, 6, 12, 24), 7, 4));
    }

    public SwinTransformer() {
        super("swin", SIZES);
    }

    @Override
    Block build(Config config, ModelSpec spec) {
        ImageShape input = spec.input();
        requireDivisible(input, config.patch());
        int height = input.height() / config.patch();
        int width = input.width() / config.patch();
        int dim = config.dim();
        int blocks = config.depths().stream().mapToInt(Integer::intValue).sum();
        float[] rates = spec.schedule().rates(spec.dropPath(), blocks);

        SequentialBlock network = new SequentialBlock()
                .add(Layers.conv(dim, config.patch(), config.patch(), 0, 1, true))
                .add(Layers.toChannelsLast())
                .add(Layers.lastAxisNorm(4));
        int block = 0;
        for (int stage = 0; stage < config.depths().size(); stage++) {
            if (stage > 0) {
                network.add(new PatchMerging(dim));
                height = PatchMerging.mergedSide(height);
                width = PatchMerging.mergedSide(width);
                dim *= 2;
            }
            for (int i = 0; i < config.depths().get(stage); i++) {
                float rate = rates[block++];
                WindowAttention attention = new WindowAttention(height, width, dim,
                        config.heads().get(stage), config.window(), i % 2 == 1);
                network.add(new Residual(new SequentialBlock()
                                .add(Layers.lastAxisNorm(4)).add(attention), rate))
                        .add(new Residual(new SequentialBlock()
                                .add(Layers.lastAxisNorm(4))
                                .add(Layers.mlp(dim, dim * config.mlpRatio())), rate));
            }
        }
        network.add(Layers.lastAxisNorm(4))
                .add(Layers.lambda(x -> x.reshape(x.getShape().get(0), -1, x.getShape().get(3))
                        .mean(new int[] {1})))
                .add(Linear.builder().setUnits(spec.classes()).build());
        return network;
    }

    /**
     * As timm's Swin (its relative position bias table is trunc-normal 0.02 too, set
     * where it is made): see {@link WeightInit#transformerLayers}.
     */
    @Override
    void initializeWeights(Block block) {
        WeightInit.transformerLayers(block);
    }

}
