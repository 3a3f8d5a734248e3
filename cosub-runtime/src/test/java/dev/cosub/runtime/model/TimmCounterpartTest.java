package dev.cosub.runtime.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import dev.cosub.runtime.model.layers.DropPathSchedule;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * timm's names line up with this project's parameters: each name lands on a parameter of the
 * shape timm gives it (shapes from timm's layer definitions: Conv2d (out, in / groups, k, k),
 * Linear (out, in), LayerNorm (C), {@code cls_token} (1, 1, C), {@code pos_embed} (1, N, C)).
 */
class TimmCounterpartTest {

    private static final ImageShape GREY = new ImageShape(1, 28, 28);
    private static final ImageShape COLOUR = new ImageShape(3, 32, 32);

    /** Each timm name with the shape of the parameter it lands on. */
    private static Map<String, Shape> timmShapes(String architecture, String size,
            ImageShape shape) {
        ModelSpec spec = new ModelSpec(size, shape, 10, 0.1f, DropPathSchedule.LINEAR);
        Architecture family = Architectures.byName(architecture);
        TimmCounterpart.Mapped mapped = assertInstanceOf(TimmCounterpart.Mapped.class,
                family.timm(spec));
        assertEquals(mapped.parameterNames().size(),
                new HashSet<>(mapped.parameterNames()).size(), "names are unique");
        try (NDManager manager = NDManager.newBaseManager()) {
            Block network = family.build(spec);
            network.initialize(manager, DataType.FLOAT32, shape.batch(1));
            Map<String, Shape> shapes = new HashMap<>();
            mapped.byProjectName(network).forEach((ours, timm) -> shapes.put(timm,
                    network.getParameters().get(ours).getArray().getShape()));
            return shapes;
        }
    }

    @Test
    void vitNamesLandOnTheirShapes() {
        Map<String, Shape> shapes = timmShapes("vit", "nano", GREY);
        assertEquals(4 + 4 * 12 + 4, shapes.size());
        assertEquals(new Shape(64, 1, 4, 4), shapes.get("patch_embed.proj.weight"));
        assertEquals(new Shape(1, 1, 64), shapes.get("cls_token"));
        assertEquals(new Shape(1, 50, 64), shapes.get("pos_embed"), "49 patches + class token");
        assertEquals(new Shape(192, 64), shapes.get("blocks.0.attn.qkv.weight"));
        assertEquals(new Shape(64), shapes.get("blocks.0.norm2.bias"));
        assertEquals(new Shape(256, 64), shapes.get("blocks.3.mlp.fc1.weight"));
        assertEquals(new Shape(64, 256), shapes.get("blocks.3.mlp.fc2.weight"));
        assertEquals(new Shape(64), shapes.get("norm.weight"));
        assertEquals(new Shape(10, 64), shapes.get("head.weight"));
    }

    @Test
    void deit3NamesPutPositionsOnPatchesOnlyAndScaleBothBranches() {
        Map<String, Shape> shapes = timmShapes("vit", "deit3-nano", GREY);
        assertEquals(4 + 4 * 14 + 4, shapes.size());
        assertEquals(new Shape(1, 49, 64), shapes.get("pos_embed"));
        assertEquals(new Shape(64), shapes.get("blocks.2.ls1.gamma"));
        assertEquals(new Shape(64), shapes.get("blocks.2.ls2.gamma"));
    }

    @Test
    void convNextNamesLandOnTheirShapes() {
        Map<String, Shape> shapes = timmShapes("convnext", "tiny", COLOUR);
        assertEquals(new Shape(96, 3, 4, 4), shapes.get("stem.0.weight"));
        assertEquals(new Shape(96), shapes.get("stem.1.weight"));
        assertEquals(new Shape(96, 1, 7, 7), shapes.get("stages.0.blocks.0.conv_dw.weight"));
        assertEquals(new Shape(384, 96), shapes.get("stages.0.blocks.2.mlp.fc1.weight"));
        assertEquals(new Shape(96), shapes.get("stages.1.downsample.0.weight"));
        assertEquals(new Shape(192, 96, 2, 2), shapes.get("stages.1.downsample.1.weight"));
        assertEquals(new Shape(384), shapes.get("stages.2.blocks.8.gamma"));
        assertEquals(new Shape(768), shapes.get("head.norm.bias"));
        assertEquals(new Shape(10, 768), shapes.get("head.fc.weight"));
        assertTrue(shapes.keySet().stream().noneMatch(name -> name.startsWith("stages.0.down")),
                "a stride-4 stem: no downsampling in the first stage");
    }

    @Test
    void familiesAndSizesWithoutACounterpartSayWhy() {
        ModelSpec nano = new ModelSpec("nano", GREY, 10, 0.1f, DropPathSchedule.LINEAR);
        String convnext = assertInstanceOf(TimmCounterpart.Unmapped.class,
                Architectures.byName("convnext").timm(nano)).why();
        assertTrue(convnext.contains("stride is 2"), convnext);
        for (String family : List.of("regnet", "pit", "xcit", "swin")) {
            String why = assertInstanceOf(TimmCounterpart.Unmapped.class,
                    Architectures.byName(family).timm(nano)).why();
            assertTrue(why.contains(family), why);
        }
    }
}
