package dev.cosub.runtime.model.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import dev.cosub.runtime.engine.Scalars;
import java.util.Arrays;

/**
 * Stochastic depth with one keep/drop draw per sample.
 *
 * <p>The mask has shape (B, 1, 1, ...), so row i and row j of one batch are different random
 * submodels. cosub relies on this: the two copies of an image in a duplicated batch must draw
 * independent masks, or they would be the same submodel and teach each other nothing.
 */
public final class DropPath {

    private DropPath() {}

    /**
     * Drops whole rows of a residual branch's output with probability {@code rate} and scales the
     * kept rows by 1/(1 - rate), so the expected output is unchanged. Identity in inference.
     *
     * @param branch the residual branch output, batch first
     * @param rate the drop probability in [0, 1)
     * @param training whether to drop: in training, or when sampling a submodel in inference
     */
    public static NDArray apply(NDArray branch, float rate, boolean training) {
        checkRate(rate);
        if (!training || rate == 0f) {
            return branch;
        }
        long[] maskShape = new long[branch.getShape().dimension()];
        Arrays.fill(maskShape, 1L);
        maskShape[0] = branch.getShape().get(0);
        NDArray scaledMask = Scalars.times(keepMask(branch, rate)
                        .toType(branch.getDataType(), false), 1.0 / (1.0 - rate))
                .reshape(new Shape(maskShape));
        return branch.mul(scaledMask);
    }

    /**
     * One keep draw per row of {@code rows}: a boolean (B) array, true with probability
     * 1 - {@code rate}. Both drop-path modes draw it the same way, so that with the same engine
     * seed they drop the same rows.
     */
    static NDArray keepMask(NDArray rows, float rate) {
        NDArray uniform = rows.getManager().randomUniform(0f, 1f,
                new Shape(rows.getShape().get(0)), rows.getDataType(), rows.getDevice());
        // A threshold made on the device: a Java number would be copied from the host, which
        // on a GPU waits for the stream, once per block and step.
        return uniform.lt(Scalars.of(uniform, 1f - rate));
    }

    public static void checkRate(float rate) {
        if (!(rate >= 0f && rate < 1f)) {
            throw new IllegalArgumentException(
                    "drop-path rate " + rate + " is outside [0, 1)");
        }
    }
}
