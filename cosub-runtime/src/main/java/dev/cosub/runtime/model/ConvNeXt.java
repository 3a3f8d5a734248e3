package dev.cosub.runtime.model;

import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import dev.cosub.runtime.model.layers.LayerScale;
import dev.cosub.runtime.model.layers.Layers;
import dev.cosub.runtime.model.layers.Residual;
import dev.cosub.runtime.model.layers.WeightInit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * ConvNeXt: a patchify stem, four stages of blocks (7x7 depthwise convolution, LayerNorm over
 * channels, inverted MLP C -> 4C -> C with GELU, LayerScale, drop-path), LayerNorm + 2x2 stride-2
 * convolutions between stages, and a head of global average pooling, LayerNorm and a linear layer.
 */
public final class ConvNeXt extends SizedArchitecture<ConvNeXt.Config> {

    /**
     * A ConvNeXt configuration.
     *
     * @param stemPatch side and stride of the stem's patchify convolution
     * @param dims widths of the four stages
     * @param depths blocks per stage
     */
    public record Config(int stemPatch, List<Integer> dims, List<Integer> depths) {}

    static final int KERNEL = 7;
    static final float LAYER_SCALE_INIT = 1e-6f;

    private static final Map<String, Config> SIZES = new LinkedHashMap<>();

    static {
        // nano: patchify by 2 so that 28x28 and 32x32 images keep a grid through four stages
        // (14, 7, 3, 1 and 16, 8, 4, 2).
        SIZES.put("nano", new Config(2, List.of(32, 64, 128, 256), List.of(1, 1, 2, 1)));
        // micro: the same grid, 1.5 times the widths and a deeper third stage, as the published
        // sizes are: two and a half times the parameters.
        SIZES.put("micro", new Config(2, List.of(48, 96, 192, 384), List.of(1, 1, 3, 1)));
        SIZES.put("tiny", new Config(4, List.of(96, 192, 384, 768), List.of(3, 3, 9, 3)));
    }

    public ConvNeXt() {
        super("convnext", SIZES);
    }

    @Override
    Block build(Config config, ModelSpec spec) {
        int blocks = config.depths().stream().mapToInt(Integer::intValue).sum();
        float[] rates = spec.schedule().rates(spec.dropPath(), blocks);
        SequentialBlock network = new SequentialBlock()
                .add(Layers.conv(config.dims().get(0), config.stemPatch(), config.stemPatch(), 0,
                        1, true))
                .add(Layers.channelNorm());
        int block = 0;
        for (int stage = 0; stage < config.dims().size(); stage++) {
            int dim = config.dims().get(stage);
            if (stage > 0) {
                network.add(Layers.channelNorm()).add(Layers.conv(dim, 2, 2, 0, 1, true));
            }
            for (int i = 0; i < config.depths().get(stage); i++) {
                network.add(block(dim, rates[block++]));
            }
        }
        network.add(Pool.globalAvgPool2dBlock())
                .add(Layers.lastAxisNorm(2))
                .add(Linear.builder().setUnits(spec.classes()).build());
        return network;
    }

    /** As timm's ConvNeXt: convolutions and linear layers trunc-normal 0.02 with zero bias. */
    @Override
    void initializeWeights(Block block) {
        if (WeightInit.isLinear(block) || WeightInit.isConvolution(block)) {
            WeightInit.set(block, WeightInit.truncatedNormal(0.02f), WeightInit.zeros());
        }
    }

    /**
     * timm's {@code convnext_tiny} with this size's widths, depths and stem, for sizes with a
     * stride-4 stem as the paper's. With a stride-2 stem timm downsamples the first stage as
     * well, a layer cosub's smaller sizes do not have.
     */
    @Override
    TimmCounterpart timm(Config config, ModelSpec spec) {
        if (config.stemPatch() != 4) {
            return new TimmCounterpart.Unmapped("timm's ConvNeXt adds a stride-2 downsampling"
                    + " to its first stage when the stem's stride is " + config.stemPatch()
                    + "; cosub's convnext-" + spec.size() + " keeps the stem's grid there, so"
                    + " that a 28-pixel image still has one in the fourth stage. Sizes with a"
                    + " stride-4 stem (tiny) map");
        }
        Map<String, Object> arguments = new LinkedHashMap<>();
        arguments.put("in_chans", spec.input().channels());
        arguments.put("num_classes", spec.classes());
        arguments.put("depths", config.depths());
        arguments.put("dims", config.dims());
        arguments.put("patch_size", config.stemPatch());
        arguments.put("kernel_sizes", KERNEL);
        arguments.put("ls_init_value", LAYER_SCALE_INIT);
        arguments.put("conv_mlp", false);
        arguments.put("head_norm_first", false);
        List<String> names = new ArrayList<>(TimmCounterpart.weightAndBias("stem.0", "stem.1"));
        for (int stage = 0; stage < config.dims().size(); stage++) {
            String prefix = "stages." + stage + ".";
            if (stage > 0) {
                names.addAll(TimmCounterpart.weightAndBias(prefix + "downsample.0",
                        prefix + "downsample.1"));
            }
            for (int i = 0; i < config.depths().get(stage); i++) {
                String block = prefix + "blocks." + i + ".";
                names.addAll(TimmCounterpart.weightAndBias(block + "conv_dw", block + "norm",
                        block + "mlp.fc1", block + "mlp.fc2"));
                names.add(block + "gamma");
            }
        }
        names.addAll(TimmCounterpart.weightAndBias("head.norm", "head.fc"));
        return new TimmCounterpart.Mapped("convnext_tiny", arguments, names);
    }

    /** One ConvNeXt block on (B, C, H, W); its MLP works channels-last. */
    static Residual block(int dim, float dropRate) {
        return new Residual(new SequentialBlock()
                .add(Layers.conv(dim, KERNEL, 1, KERNEL / 2, dim, true))
                .add(Layers.toChannelsLast())
                .add(Layers.lastAxisNorm(4))
                .add(Layers.mlp(dim, 4 * dim))
                .add(new LayerScale(LAYER_SCALE_INIT))
                .add(Layers.toChannelsFirst()), dropRate);
    }
}
