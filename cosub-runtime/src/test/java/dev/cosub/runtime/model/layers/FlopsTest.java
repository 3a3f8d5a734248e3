package dev.cosub.runtime.model.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import dev.cosub.runtime.model.Architectures;
import dev.cosub.runtime.model.ConvNeXt;
import dev.cosub.runtime.model.ImageShape;
import dev.cosub.runtime.model.ModelSpec;
import dev.cosub.runtime.model.RegNetY;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Forward FLOPs per image, counted by hand for two networks and sanity-checked for all. */
class FlopsTest extends BlockFixture {

    private long flops(String architecture, String size, ImageShape input, int classes) {
        Block network = Architectures.byName(architecture)
                .build(new ModelSpec(size, input, classes, 0.1f, DropPathSchedule.LINEAR));
        network.initialize(manager, DataType.FLOAT32, input.batch(1));
        return Flops.perImage(network);
    }

    /** Two FLOPs per multiply-add of a (rows x in) by (in x out) product. */
    private static long matmul(long rows, long in, long out) {
        return 2 * rows * in * out;
    }

    @Test
    void vitNanoOnFashionMnistByHand() {
        long tokens = 7 * 7 + 1;
        long dim = 64;
        long patchEmbedding = matmul(49, 4 * 4, dim);
        long attention = matmul(tokens, dim, 3 * dim) + matmul(tokens, dim, dim)
                // q k^T and attention v, over all heads together
                + 2 * matmul(tokens, dim, tokens);
        long mlp = matmul(tokens, dim, 4 * dim) + matmul(tokens, 4 * dim, dim);
        long head = matmul(1, dim, 10);
        long byHand = patchEmbedding + 4 * (attention + mlp) + head;
        assertEquals(22_322_432, byHand);
        assertEquals(byHand, flops("vit", "nano", new ImageShape(1, 28, 28), 10));
    }

    @Test
    void convNextNanoOnFashionMnistByHand() {
        // Maps 14, 7, 3 and 1 pixels wide; widths 32, 64, 128, 256; depths 1, 1, 2, 1.
        long stem = matmul(14 * 14, 1 * 2 * 2, 32);
        long stage1 = block(14 * 14, 32);
        long down2 = matmul(7 * 7, 32 * 2 * 2, 64);
        long stage2 = block(7 * 7, 64);
        long down3 = matmul(3 * 3, 64 * 2 * 2, 128);
        long stage3 = 2 * block(3 * 3, 128);
        long down4 = matmul(1, 128 * 2 * 2, 256);
        long stage4 = block(1, 256);
        long head = matmul(1, 256, 10);
        assertEquals(stem + stage1 + down2 + stage2 + down3 + stage3 + down4 + stage4 + head,
                flops("convnext", "nano", new ImageShape(1, 28, 28), 10));
    }

    /** A ConvNeXt block: 7x7 depthwise convolution and the C -> 4C -> C MLP at every pixel. */
    private static long block(long pixels, long dim) {
        return 2 * pixels * dim * 7 * 7 + matmul(pixels, dim, 4 * dim)
                + matmul(pixels, 4 * dim, dim);
    }

    /**
     * The published figures for the standard sizes at 224x224 are in GMACs (one multiply-add):
     * ViT-Ti 1.26, PiT-Ti 0.70, XCiT-Nano-12/16 0.56, Swin-T 4.5, ConvNeXt-T 4.5,
     * RegNetY-200MF 0.2. Ours, counted from the layers, must be within 10% of them (published
     * counters differ on what they leave out, e.g. Swin's attention products).
     */
    @ParameterizedTest
    @CsvSource({
        "regnet, 200mf, 0.20",
        "vit, tiny, 1.26",
        "pit, tiny, 0.70",
        "xcit, nano12, 0.56",
        "swin, tiny, 4.5",
        "convnext, tiny, 4.5",
    })
    void standardSizesAreNearTheirPublishedMultiplyAdds(String architecture, String size,
            double publishedGmacs) {
        double gmacs = flops(architecture, size, new ImageShape(3, 224, 224), 1000) / 2e9;
        assertTrue(Math.abs(gmacs - publishedGmacs) <= 0.1 * publishedGmacs,
                architecture + "-" + size + ": " + gmacs + " GMACs, published " + publishedGmacs);
    }
}
