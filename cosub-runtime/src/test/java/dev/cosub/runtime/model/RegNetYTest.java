package dev.cosub.runtime.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import dev.cosub.runtime.model.layers.BlockFixture;
import dev.cosub.runtime.model.layers.SqueezeExcitation;
import java.util.List;
import org.junit.jupiter.api.Test;

class RegNetYTest extends BlockFixture {

    @Test
    void quantisedLinearRuleGivesTheStagesOf200MF() {
        RegNetY.Stages stages = RegNetY.stages(new RegNetY.Config(24, 36.44, 2.49, 13, 8));
        assertEquals(List.of(24, 56, 152, 368), stages.widths());
        assertEquals(List.of(1, 1, 4, 7), stages.depths());
    }

    @Test
    void the3x3ConvolutionIsGroupedByTheGroupWidth() {
        Block block = initialized(RegNetY.block(32, 64, 2, 8, 0f), new Shape(2, 32, 8, 8));
        // 64 channels in groups of 8: each filter sees 8 input channels.
        assertTrue(parameterShapes(block).contains(new Shape(64, 8, 3, 3)),
                parameterShapes(block).toString());
        assertEquals(new Shape(2, 64, 4, 4),
                forward(block, random(2, 32, 8, 8), false).getShape());
    }

    @Test
    void squeezeExcitationGatesEachChannelByOneFactorInZeroOne() {
        SqueezeExcitation se = initialized(new SqueezeExcitation(8, 2), new Shape(2, 8, 5, 5));
        NDArray x = random(2, 8, 5, 5).abs().add(0.1);
        NDArray gate = forward(se, x, false).div(x);
        NDArray perChannel = gate.get(":, :, :1, :1");
        assertTrue(gate.sub(perChannel).abs().max().getFloat() < 1e-5,
                "one factor per image and channel");
        assertTrue(gate.min().getFloat() > 0 && gate.max().getFloat() < 1, "a sigmoid gate");
        // The bottleneck: 8 -> 2 -> 8 with biases.
        assertEquals(List.of(new Shape(2, 8, 1, 1), new Shape(2), new Shape(8, 2, 1, 1),
                new Shape(8)), parameterShapes(se));
    }

    @Test
    void aFreshBlockIsItsShortcutBecauseItsLastBatchNormStartsAtZero() {
        Block block = initialized(RegNetY.block(16, 16, 1, 8, 0f), new Shape(2, 16, 6, 6));
        NDArray x = random(2, 16, 6, 6);
        assertTrue(forward(block, x, false).allClose(ai.djl.nn.Activation.relu(x)));
    }
}
