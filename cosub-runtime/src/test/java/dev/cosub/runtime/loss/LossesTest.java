package dev.cosub.runtime.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.cosub.runtime.engine.Engines;
import dev.cosub.runtime.train.Method;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Checks the losses against the formulas of the method, computed here by hand in doubles. */
class LossesTest {

    // Two images, three classes. z1 and z2 are the two submodels' logits of the same images.
    private static final float[][] Z1 = {{2.0f, -1.0f, 0.5f}, {-0.5f, 1.5f, 0.0f}};
    private static final float[][] Z2 = {{1.0f, 0.0f, -2.0f}, {0.3f, 2.5f, -1.0f}};
    private static final float[][] Y = {{1f, 0f, 0f}, {0f, 1f, 0f}};

    private NDManager manager;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager(Engines.device("cpu"), Engines.pytorch().getEngineName());
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    private static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }

    /** -[t log sigma(z) + (1 - t) log(1 - sigma(z))], averaged over all entries. */
    private static double bce(float[][] z, double[][] t) {
        double sum = 0;
        int n = 0;
        for (int i = 0; i < z.length; i++) {
            for (int j = 0; j < z[i].length; j++) {
                double p = sigmoid(z[i][j]);
                sum += -(t[i][j] * Math.log(p) + (1 - t[i][j]) * Math.log(1 - p));
                n++;
            }
        }
        return sum / n;
    }

    private static double[][] toDouble(float[][] a) {
        double[][] d = new double[a.length][a[0].length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[i].length; j++) {
                d[i][j] = a[i][j];
            }
        }
        return d;
    }

    private static double[][] sigmoidOf(float[][] z) {
        double[][] s = new double[z.length][z[0].length];
        for (int i = 0; i < z.length; i++) {
            for (int j = 0; j < z[i].length; j++) {
                s[i][j] = sigmoid(z[i][j]);
            }
        }
        return s;
    }

    private NDArray array(float[][] values) {
        return manager.create(values);
    }

    @Test
    void bceMatchesItsFormula() {
        assertEquals(bce(Z1, toDouble(Y)), Losses.bce(array(Z1), array(Y)).getFloat(), 1e-6);
    }

    @Test
    void softmaxCrossEntropyMatchesItsFormula() {
        double expected = 0;
        for (int i = 0; i < Z1.length; i++) {
            double norm = 0;
            for (float z : Z1[i]) {
                norm += Math.exp(z);
            }
            int label = i == 0 ? 0 : 1;
            expected += -(Z1[i][label] - Math.log(norm));
        }
        expected /= Z1.length;
        assertEquals(expected, Losses.softmaxCrossEntropy(array(Z1), array(Y)).getFloat(), 1e-6);
    }

    @Test
    void cosubLossMatchesItsFormulaForSeveralLambdas() {
        NDArray logits = array(Z1).concat(array(Z2), 0);
        for (float lambda : new float[] {0.5f, 0f, 0.25f, 1f}) {
            double expected = lambda / 2.0 * (bce(Z1, toDouble(Y)) + bce(Z2, toDouble(Y)))
                    + (1 - lambda) / 2.0 * (bce(Z1, sigmoidOf(Z2)) + bce(Z2, sigmoidOf(Z1)));
            assertEquals(expected, Losses.cosub(logits, array(Y), lambda).getFloat(), 1e-6,
                    "lambda " + lambda);
        }
    }

    @Test
    void defaultLambdaWeighsEveryTermAQuarter() {
        NDArray logits = array(Z1).concat(array(Z2), 0);
        double expected = 0.25 * (bce(Z1, toDouble(Y)) + bce(Z2, toDouble(Y))
                + bce(Z1, sigmoidOf(Z2)) + bce(Z2, sigmoidOf(Z1)));
        assertEquals(expected, Losses.cosub(logits, array(Y), 0.5f).getFloat(), 1e-6);
    }

    /**
     * With stop-gradient, dL/dz1 = [lambda/2 (sigma(z1) - y) + (1-lambda)/2 (sigma(z1) - sigma(z2))] / N.
     * A gradient leaking through the soft target sigma(z2) would add terms to dL/dz2's teacher
     * side and break this equality.
     */
    @Test
    void noGradientFlowsThroughTheSoftTargets() {
        float lambda = 0.3f;
        NDArray logits = array(Z1).concat(array(Z2), 0);
        logits.setRequiresGradient(true);
        try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
            collector.backward(Losses.cosub(logits, array(Y), lambda));
        }
        float[] gradient = logits.getGradient().toFloatArray();
        int entries = 2 * 3;
        float[] expected = new float[12];
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                double s1 = sigmoid(Z1[i][j]);
                double s2 = sigmoid(Z2[i][j]);
                expected[i * 3 + j] =
                        (float) ((lambda / 2 * (s1 - Y[i][j]) + (1 - lambda) / 2 * (s1 - s2)) / entries);
                expected[6 + i * 3 + j] =
                        (float) ((lambda / 2 * (s2 - Y[i][j]) + (1 - lambda) / 2 * (s2 - s1)) / entries);
            }
        }
        assertArrayEquals(expected, gradient, 1e-6f);
    }

    @Test
    void cosubRefusesABatchThatWasNotDuplicated() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Losses.cosub(array(Z1), array(Y), 0.5f));
        assertEquals(true, e.getMessage().contains("2B"), e.getMessage());
    }

    @Test
    void methodsFeedTheNetworkDifferently() {
        NDArray images = manager.ones(new Shape(4, 1, 2, 2));
        assertEquals(new Shape(4, 1, 2, 2), Method.BASELINE.networkInput(images).getShape());
        assertEquals(new Shape(8, 1, 2, 2), Method.COSUB.networkInput(images).getShape());
        assertThrows(IllegalArgumentException.class,
                () -> Method.COSUB.loss(array(Z1).concat(array(Z2), 0), array(Y),
                        Criterion.SOFTMAX, 0.5f));
    }
}
