package dev.cosub.runtime.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * The FLOP/s a device reaches on a large float32 matrix product: the yardstick against which a
 * model's training FLOP/s says how much of the machine it uses.
 */
public final class MatmulPeak {

    private static final int CPU_SIDE = 2048;
    private static final int GPU_SIDE = 8192;
    private static final int TIMED = 3;

    private MatmulPeak() {}

    /** The best of a few timed products of two square matrices, after one untimed. */
    public static double measure(NDManager manager) {
        int side = manager.getDevice().isGpu() ? GPU_SIDE : CPU_SIDE;
        try (NDManager scope = manager.newSubManager()) {
            NDArray a = scope.randomUniform(-1f, 1f, new Shape(side, side), DataType.FLOAT32);
            NDArray b = scope.randomUniform(-1f, 1f, new Shape(side, side), DataType.FLOAT32);
            double best = 0;
            for (int i = 0; i <= TIMED; i++) {
                long start = System.nanoTime();
                try (NDArray product = a.matMul(b)) {
                    // Reading one value waits for an asynchronous device to finish.
                    product.get(0, 0).getFloat();
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                if (i > 0) {
                    best = Math.max(best, 2.0 * side * side * side / seconds);
                }
            }
            return best;
        }
    }
}
