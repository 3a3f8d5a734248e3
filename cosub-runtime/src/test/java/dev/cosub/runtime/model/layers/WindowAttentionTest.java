package dev.cosub.runtime.model.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

class WindowAttentionTest extends BlockFixture {

    @Test
    void windowPartitionAndReverseAreInverse() {
        NDArray x = manager.arange(2 * 4 * 6 * 3f).reshape(2, 4, 6, 3);
        NDArray windows = WindowAttention.partition(x, 2);
        assertEquals(new Shape(2 * 6, 4, 3), windows.getShape());
        // The first window holds the top-left 2x2 pixels in row-major order.
        assertTrue(windows.get(0).contentEquals(x.get(new NDIndex("0, :2, :2, :")).reshape(4, 3)));
        assertTrue(WindowAttention.reverse(windows, 2, 2, 4, 6).contentEquals(x));
    }

    @Test
    void rollIsCyclicAndUndoable() {
        NDArray x = manager.arange(5f).reshape(1, 5);
        assertArrayEquals(new float[] {3, 4, 0, 1, 2},
                WindowAttention.roll(x, 2, 1).toFloatArray());
        assertTrue(WindowAttention.roll(WindowAttention.roll(x, -2, 1), 2, 1).contentEquals(x));
    }

    @Test
    void relativePositionIndexCoversEveryOffsetOnce() {
        long[] index = WindowAttention.relativePositionIndex(2);
        // 2x2 window: offsets dy, dx in {-1, 0, 1}: a 3x3 table, row (dy + 1) * 3 + (dx + 1).
        assertArrayEquals(new long[] {4, 3, 1, 0, 5, 4, 2, 1, 7, 6, 4, 3, 8, 7, 5, 4}, index);
        long[] seven = WindowAttention.relativePositionIndex(7);
        assertEquals(49 * 49, seven.length);
        assertEquals(0, java.util.Arrays.stream(seven).min().getAsLong());
        assertEquals(13 * 13 - 1, java.util.Arrays.stream(seven).max().getAsLong());
    }

    @Test
    void shiftMaskSeparatesRegionsThatWereNotAdjacent() {
        float[] mask = WindowAttention.shiftMask(4, 4, 2, 1);
        int perWindow = 4 * 4;
        // Top-left window: one region, nothing masked.
        for (int i = 0; i < perWindow; i++) {
            assertEquals(0f, mask[i]);
        }
        // Bottom-right window: four regions of one token each, everything off the diagonal masked.
        int offset = 3 * perWindow;
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                assertEquals(i == j ? 0f : WindowAttention.MASKED, mask[offset + i * 4 + j]);
            }
        }
    }

    @Test
    void shiftedWindowsDoNotLetWrappedTokensSeeEachOther() {
        WindowAttention shifted = initialized(new WindowAttention(4, 4, 8, 2, 2, true),
                new Shape(1, 4, 4, 8));
        assertEquals(1, shifted.shift());
        NDArray x = random(1, 4, 4, 8);
        NDArray changed = x.duplicate();
        changed.set(new NDIndex(":, 0, 0, :"), 5f);
        NDArray a = forward(shifted, x, false);
        NDArray b = forward(shifted, changed, false);
        // After rolling by one, (0, 0) shares a window with (3, 3), but they came from opposite
        // corners: the mask keeps them apart.
        assertTrue(a.get(":, 3, 3, :").allClose(b.get(":, 3, 3, :")));
        assertFalse(a.get(":, 0, 0, :").allClose(b.get(":, 0, 0, :")));

        WindowAttention plain = initialized(new WindowAttention(4, 4, 8, 2, 2, false),
                new Shape(1, 4, 4, 8));
        NDArray c = forward(plain, x, false);
        NDArray d = forward(plain, changed, false);
        assertFalse(c.get(":, 1, 1, :").allClose(d.get(":, 1, 1, :")), "same window");
        assertTrue(c.get(":, 2, 2, :").allClose(d.get(":, 2, 2, :")), "another window");
        assertTrue(parameterShapes(plain).contains(new Shape((2 * 2 - 1) * (2 * 2 - 1), 2)),
                "a relative position bias table of (2W-1)^2 rows per head");
    }

    @Test
    void aMapNoLargerThanTheWindowIsOneUnshiftedWindow() {
        WindowAttention small = new WindowAttention(4, 4, 8, 2, 7, true);
        assertEquals(4, small.window());
        assertEquals(0, small.shift());
    }

    @Test
    void patchMergingHalvesTheMapAndDoublesTheWidth() {
        PatchMerging merging = initialized(new PatchMerging(8), new Shape(1, 7, 7, 8));
        assertEquals(new Shape(1, 4, 4, 16), forward(merging, random(1, 7, 7, 8), false).getShape());
        // LayerNorm over 4C, then a 4C -> 2C projection without bias.
        assertEquals(java.util.List.of(new Shape(32), new Shape(32), new Shape(16, 32)),
                parameterShapes(merging));
    }
}
