package dev.cosub.runtime.model;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import dev.cosub.runtime.model.layers.ClassTokenEmbedding;
import dev.cosub.runtime.model.layers.DropPathSchedule;
import dev.cosub.runtime.model.layers.LayerScale;
import dev.cosub.runtime.model.layers.Layers;
import dev.cosub.runtime.model.layers.LearnedPositions;
import dev.cosub.runtime.model.layers.MultiHeadSelfAttention;
import dev.cosub.runtime.model.layers.PatchEmbedding;
import dev.cosub.runtime.model.layers.WeightInit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * ViT: patch embedding, class token and learned positions, pre-norm transformer blocks with
 * drop-path on both residual branches, final LayerNorm and a linear head on the class token.
 *
 * <p>The {@code deit3-*} sizes are the ViT that DeiT III and the cosub paper train: LayerScale
 * (starting at 1e-4) on both residual branches, the same drop-path rate on every block whatever
 * the schedule asked, and positions added to the patch tokens only, the class token joining
 * after them.
 */
public final class VisionTransformer extends SizedArchitecture<VisionTransformer.Config> {

    /**
     * A ViT configuration.
     *
     * @param layerScale LayerScale's starting value on both branches, 0 for none (plain ViT)
     */
    public record Config(int patch, int dim, int depth, int heads, int mlpRatio,
            float layerScale) {

        boolean isDeit3() {
            return layerScale > 0;
        }
    }

    /** DeiT III's LayerScale starting value. */
    static final float DEIT3_LAYER_SCALE = 1e-4f;

    private static final Map<String, Config> SIZES = new LinkedHashMap<>();

    static {
        // nano: for 28x28 and 32x32 inputs, 7x7 or 8x8 patches of 4 pixels.
        SIZES.put("nano", new Config(4, 64, 4, 4, 4, 0));
        // micro: nano's 49 or 64 tokens, twice the width and 1.5 times the depth: about six
        // times the parameters, for small data where nano still underfits.
        SIZES.put("micro", new Config(4, 128, 6, 4, 4, 0));
        SIZES.put("tiny", new Config(16, 192, 12, 3, 4, 0));
        SIZES.put("small", new Config(16, 384, 12, 6, 4, 0));
        SIZES.put("deit3-nano", new Config(4, 64, 4, 4, 4, DEIT3_LAYER_SCALE));
        SIZES.put("deit3-micro", new Config(4, 128, 6, 4, 4, DEIT3_LAYER_SCALE));
        SIZES.put("deit3-tiny", new Config(16, 192, 12, 3, 4, DEIT3_LAYER_SCALE));
        SIZES.put("deit3-small", new Config(16, 384, 12, 6, 4, DEIT3_LAYER_SCALE));
        SIZES.put("deit3-base", new Config(16, 768, 12, 12, 4, DEIT3_LAYER_SCALE));
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

    /** DeiT III's block: both branches end in LayerScale. */
    static Block layerScaleBlock(int dim, int heads, int mlpRatio, float layerScale,
            float dropRate) {
        return new SequentialBlock()
                .add(Layers.preNorm(new SequentialBlock()
                        .add(new MultiHeadSelfAttention(dim, heads))
                        .add(new LayerScale(layerScale)), dropRate))
                .add(Layers.preNorm(new SequentialBlock()
                        .add(Layers.mlp(dim, dim * mlpRatio))
                        .add(new LayerScale(layerScale)), dropRate));
    }

    @Override
    Block build(Config config, ModelSpec spec) {
        requireDivisible(spec.input(), config.patch());
        DropPathSchedule schedule = config.isDeit3() ? DropPathSchedule.UNIFORM : spec.schedule();
        float[] rates = schedule.rates(spec.dropPath(), config.depth());
        SequentialBlock network = new SequentialBlock()
                .add(new PatchEmbedding(config.patch(), config.dim()));
        if (config.isDeit3()) {
            network.add(new LearnedPositions()).add(new ClassTokenEmbedding(false));
        } else {
            network.add(new ClassTokenEmbedding(true));
        }
        for (float rate : rates) {
            network.add(config.isDeit3()
                    ? layerScaleBlock(config.dim(), config.heads(), config.mlpRatio(),
                            config.layerScale(), rate)
                    : encoderBlock(config.dim(), config.heads(), config.mlpRatio(), rate));
        }
        network.add(Layers.tokenNorm())
                .addSingleton(VisionTransformer::classToken)
                .add(Linear.builder().setUnits(spec.classes()).build());
        return network;
    }

    /** As timm's ViT and DeiT III: see {@link WeightInit#transformerLayers}. */
    @Override
    void initializeWeights(Block block) {
        WeightInit.transformerLayers(block);
    }

    /**
     * timm's ViT: a plain size as {@code vit_tiny_patch16_224}, a DeiT III size as
     * {@code deit3_small_patch16_224} (positions on the patch tokens only, LayerScale on both
     * branches), this size's arguments overriding either's defaults.
     */
    @Override
    TimmCounterpart timm(Config config, ModelSpec spec) {
        Map<String, Object> arguments = new LinkedHashMap<>();
        arguments.put("img_size", List.of(spec.input().height(), spec.input().width()));
        arguments.put("patch_size", config.patch());
        arguments.put("in_chans", spec.input().channels());
        arguments.put("num_classes", spec.classes());
        arguments.put("embed_dim", config.dim());
        arguments.put("depth", config.depth());
        arguments.put("num_heads", config.heads());
        arguments.put("mlp_ratio", config.mlpRatio());
        arguments.put("qkv_bias", true);
        arguments.put("class_token", true);
        arguments.put("global_pool", "token");
        arguments.put("no_embed_class", config.isDeit3());
        if (config.isDeit3()) {
            arguments.put("init_values", config.layerScale());
        }
        List<String> names = new ArrayList<>(TimmCounterpart.weightAndBias("patch_embed.proj"));
        names.addAll(config.isDeit3() ? List.of("pos_embed", "cls_token")
                : List.of("cls_token", "pos_embed"));
        for (int i = 0; i < config.depth(); i++) {
            String block = "blocks." + i + ".";
            names.addAll(TimmCounterpart.weightAndBias(block + "norm1", block + "attn.qkv",
                    block + "attn.proj"));
            if (config.isDeit3()) {
                names.add(block + "ls1.gamma");
            }
            names.addAll(TimmCounterpart.weightAndBias(block + "norm2", block + "mlp.fc1",
                    block + "mlp.fc2"));
            if (config.isDeit3()) {
                names.add(block + "ls2.gamma");
            }
        }
        names.addAll(TimmCounterpart.weightAndBias("norm", "head"));
        return new TimmCounterpart.Mapped(config.isDeit3() ? "deit3_small_patch16_224"
                : "vit_tiny_patch16_224", arguments, names);
    }

    /** The class token (B, C) of tokens (B, 1 + N, C). */
    static NDArray classToken(NDArray tokens) {
        return tokens.get(":, 0, :");
    }
}
