package dev.cosub.runtime.model;

import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Convolution;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.initializer.ConstantInitializer;
import dev.cosub.runtime.model.layers.Layers;
import dev.cosub.runtime.model.layers.Residual;
import dev.cosub.runtime.model.layers.SqueezeExcitation;
import dev.cosub.runtime.model.layers.WeightInit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * RegNetY: a stride-2 3x3 stem and four stages of bottleneck blocks (1x1 conv, 3x3 group conv
 * with a fixed group width, squeeze-excitation, 1x1 conv with a zero-initialised BatchNorm),
 * each stage starting with stride 2; widths and depths come from the quantised linear rule.
 */
public final class RegNetY extends SizedArchitecture<RegNetY.Config> {

    /**
     * The parameters of the quantised linear rule.
     *
     * @param initialWidth w0, the width of the first block
     * @param slope wa, how fast the continuous widths grow per block
     * @param multiplier wm, the ratio between consecutive stage widths
     * @param depth total number of blocks
     * @param groupWidth channels per group of the 3x3 convolutions
     */
    public record Config(int initialWidth, double slope, double multiplier, int depth,
            int groupWidth) {}

    /**
     * Widths and depths of the stages the rule gives.
     *
     * @param widths output width of each stage
     * @param depths blocks of each stage
     */
    public record Stages(List<Integer> widths, List<Integer> depths) {}

    static final int STEM_WIDTH = 32;
    static final double SE_RATIO = 0.25;
    private static final int WIDTH_QUANTUM = 8;

    private static final Map<String, Config> SIZES = new LinkedHashMap<>();

    static {
        // nano: stages of 16, 32, 64 and 128 channels (1, 1, 3, 3 blocks).
        SIZES.put("nano", new Config(16, 16, 2.0, 8, 8));
        // RegNetY-200MF.
        SIZES.put("200mf", new Config(24, 36.44, 2.49, 13, 8));
    }

    public RegNetY() {
        super("regnet", SIZES);
    }



    /**
     * The stages of the quantised linear rule: continuous widths {@code w0 + wa * j}, snapped to
     * {@code w0 * wm^k} and to multiples of 8, then to multiples of the group width; blocks of
     * equal width form a stage.
     */
    public static Stages stages(Config config) {
        List<Integer> widths = new ArrayList<>();
        List<Integer> depths = new ArrayList<>();
        for (int j = 0; j < config.depth(); j++) {
            double continuous = config.initialWidth() + config.slope() * j;
            long exponent = Math.round(Math.log(continuous / config.initialWidth())
                    / Math.log(config.multiplier()));
            double snapped = config.initialWidth() * Math.pow(config.multiplier(), exponent);
            int width = (int) (Math.round(snapped / WIDTH_QUANTUM) * WIDTH_QUANTUM);
            int group = Math.min(config.groupWidth(), width);
            width = (int) (Math.round((double) width / group) * group);
            int last = widths.size() - 1;
            if (last >= 0 && widths.get(last) == width) {
                depths.set(last, depths.get(last) + 1);
            } else {
                widths.add(width);
                depths.add(1);
            }
        }
        return new Stages(widths, depths);
    }

    @Override
    Block build(Config config, ModelSpec spec) {
        Stages stages = stages(config);
        float[] rates = spec.schedule().rates(spec.dropPath(), config.depth());
        SequentialBlock network = new SequentialBlock()
                .add(Layers.convBn(STEM_WIDTH, 3, 2, 1))
                .add(Activation::relu);
        int inputWidth = STEM_WIDTH;
        int block = 0;
        for (int stage = 0; stage < stages.widths().size(); stage++) {
            int width = stages.widths().get(stage);
            for (int i = 0; i < stages.depths().get(stage); i++) {
                network.add(block(inputWidth, width, i == 0 ? 2 : 1,
                        Math.min(config.groupWidth(), width), rates[block++]));
                inputWidth = width;
            }
        }
        network.add(Pool.globalAvgPool2dBlock())
                .add(Linear.builder().setUnits(spec.classes()).build());
        return network;
    }

    /**
     * As timm's RegNet: convolutions He-normal by fan-out, the fan-out divided by the groups, with
     * zero bias; the classifier normal with deviation 0.01 and zero bias. (Each block's last
     * BatchNorm starts at zero, set where the block is made.)
     */
    @Override
    void initializeWeights(Block block) {
        if (block instanceof Convolution convolution) {
            WeightInit.set(block, WeightInit.heFanOut(convolution), WeightInit.zeros());
        } else if (WeightInit.isLinear(block)) {
            WeightInit.set(block, WeightInit.normal(0.01f), WeightInit.zeros());
        }
    }

    /** A bottleneck block (ratio 1) with SE; ReLU after the sum. */
    static Block block(int inputWidth, int width, int stride, int groupWidth, float dropRate) {
        SequentialBlock lastConv = Layers.convBn(width, 1, 1, 1);
        // The branch starts as zero, so every block starts as its shortcut.
        ((BatchNorm) lastConv.getChildren().get(1).getValue())
                .setInitializer(new ConstantInitializer(0f), Parameter.Type.GAMMA);
        SequentialBlock branch = new SequentialBlock()
                .add(Layers.convBn(width, 1, 1, 1))
                .add(Activation::relu)
                .add(Layers.convBn(width, 3, stride, width / groupWidth))
                .add(Activation::relu)
                .add(new SqueezeExcitation(width, (int) Math.round(SE_RATIO * inputWidth)))
                .add(lastConv);
        Block shortcut = inputWidth == width && stride == 1
                ? null
                : Layers.convBn(width, 1, stride, 1);
        return new SequentialBlock()
                .add(new Residual(branch, shortcut, dropRate))
                .add(Activation::relu);
    }
}
