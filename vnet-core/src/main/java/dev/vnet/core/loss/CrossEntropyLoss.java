package dev.vnet.core.loss;

import dev.vnet.core.tensor.Shape;
import dev.vnet.core.tensor.BufferPool;
import dev.vnet.core.tensor.Tensor;

/**
 * Softmax cross-entropy of a classifier's logits against class indices, exactly as
 * {@code torch.nn.functional.cross_entropy(logits, targets, weight=classWeights, label_smoothing=ε)} with
 * {@code reduction='mean'}. With {@code logp = log_softmax(logits)}, {@code w} the class weights (all 1 when none
 * are given) and {@code C} classes, sample {@code i} of class {@code y_i} contributes
 * <pre>
 *   a_i = (1 − ε) · w[y_i] · (−logp[i, y_i])  +  (ε / C) · Σ_c w[c] · (−logp[i, c])
 * </pre>
 * and the loss is {@code Σ_i a_i / Σ_i w[y_i]}: PyTorch's weighted mean, which divides by the weight of the samples'
 * own classes (not by N), so a batch's loss does not depend on how its classes happen to be mixed.
 */
public final class CrossEntropyLoss {
    private static final String NAME = "CrossEntropy";
    private final float[] classWeights;
    private final float labelSmoothing;

    /**
     * @param classWeights   one weight per class, finite and {@code >= 0}, or {@code null} for equal weights (a
     *                       class that is rare in the data can be given a larger weight)
     * @param labelSmoothing ε in [0, 1]: the target puts {@code 1 − ε + ε/C} on the true class and {@code ε/C} on
     *                       each other one (0 for plain cross-entropy)
     * @throws IllegalArgumentException if a weight or ε is out of range
     */
    public CrossEntropyLoss(float[] classWeights, float labelSmoothing) {
        if (!(labelSmoothing >= 0f && labelSmoothing <= 1f)) {
            throw new IllegalArgumentException(NAME + ": labelSmoothing must be in [0, 1], got " + labelSmoothing);
        }
        if (classWeights != null) {
            if (classWeights.length == 0) {
                throw new IllegalArgumentException(NAME + ": classWeights is empty; pass null for equal weights");
            }
            for (int c = 0; c < classWeights.length; c++) {
                if (!(classWeights[c] >= 0f) || Float.isInfinite(classWeights[c])) {
                    throw new IllegalArgumentException(NAME + ": classWeights[" + c + "] must be finite and >= 0, got "
                            + classWeights[c]);
                }
            }
        }
        this.classWeights = classWeights == null ? null : classWeights.clone();
        this.labelSmoothing = labelSmoothing;
    }

    /**
     * {@return the mean loss as a scalar tensor that back-propagates into {@code logits}}
     *
     * @param logits        the classifier's raw scores, {@code [N, C]}
     * @param targetClasses the true class of each sample, {@code N} values in [0, C)
     * @throws IllegalArgumentException if the shapes disagree or a target is not a class
     * @throws NonFiniteLossException   if a logit is NaN or infinite, or the samples' classes all weigh 0
     */
    // logits [n, C], targets [n] -> loss []
    public Tensor forward(Tensor logits, int[] targetClasses) {
        int[] targets = targetClasses.clone(); // the backward reads them later
        Shape.requireRank(NAME, "logits", logits, 2);
        int n = logits.dim(0), classes = logits.dim(1);
        if (targets.length != n) {
            throw new IllegalArgumentException(NAME + ": logits of shape " + Shape.toString(logits.shape()) + " hold "
                    + n + " samples but there are " + targets.length + " targets");
        }
        if (classWeights != null && classWeights.length != classes) {
            throw new IllegalArgumentException(NAME + ": logits of shape " + Shape.toString(logits.shape()) + " have "
                    + classes + " classes but there are " + classWeights.length + " class weights");
        }
        for (int i = 0; i < n; i++) {
            if (targets[i] < 0 || targets[i] >= classes) {
                throw new IllegalArgumentException(NAME + ": target " + i + " is " + targets[i] + ", expected a class in [0, "
                        + classes + ")");
            }
        }
        float[] z = logits.data();
        NonFiniteLossException.requireFinite(NAME, "logits", z, logits.shape());
        double eps = labelSmoothing;
        double[] logp = logSoftmax(z, n, classes);
        double weightSum = classWeights == null ? classes : sumOf(classWeights); // S = Σ_c w[c]
        double total = 0;
        double denominator = 0; // Σ_i w[y_i]
        for (int i = 0; i < n; i++) {
            int row = i * classes;
            double wy = weight(targets[i]);
            double smooth = 0;
            for (int c = 0; c < classes; c++) {
                smooth += weight(c) * -logp[row + c];
            }
            total += (1 - eps) * wy * -logp[row + targets[i]] + eps / classes * smooth;
            denominator += wy;
        }
        double loss = total / denominator;
        NonFiniteLossException.requireFiniteResult(NAME, loss, "sum " + total + " over the targets' class weight "
                + denominator);
        double scale = 1 / denominator;
        return Tensor.result("crossEntropy", new int[0], new float[] {(float) loss}, out -> {
            float[] dz = logits.gradBuffer();
            if (dz == null) {
                return;
            }
            double g = out.grad()[0] * scale;
            // d a_i / d z[i, j] = p[i, j]·((1−ε)·w[y_i] + (ε/C)·S) − (1−ε)·w[y_i]·[j = y_i] − (ε/C)·w[j]
            for (int i = 0; i < n; i++) {
                int row = i * classes;
                double wy = weight(targets[i]);
                double pScale = (1 - eps) * wy + eps / classes * weightSum;
                for (int j = 0; j < classes; j++) {
                    double d = Math.exp(logp[row + j]) * pScale - eps / classes * weight(j)
                            - (j == targets[i] ? (1 - eps) * wy : 0);
                    dz[row + j] += (float) (d * g);
                }
            }
        }, logits);
    }

    private static double sumOf(float[] values) {
        double sum = 0;
        for (float v : values) {
            sum += v;
        }
        return sum;
    }

    private double weight(int c) {
        return classWeights == null ? 1.0 : classWeights[c];
    }

    /**
     * {@return the class probabilities of each sample, {@code softmax(logits)} along the classes, like
     * {@code torch.softmax(logits, dim=1)}; the gradient flows through}
     *
     * @param logits the classifier's raw scores, {@code [N, C]}
     */
    // logits [n, C] -> p [n, C]
    public static Tensor softmax(Tensor logits) {
        Shape.requireRank("softmax", "logits", logits, 2);
        int n = logits.dim(0), classes = logits.dim(1);
        double[] p = logSoftmax(logits.data(), n, classes);
        float[] y = BufferPool.output(p.length);
        for (int i = 0; i < p.length; i++) {
            p[i] = Math.exp(p[i]);
            y[i] = (float) p[i];
        }
        return Tensor.result("softmax", logits.shape(), y, out -> {
            float[] dz = logits.gradBuffer();
            if (dz == null) {
                return;
            }
            // dz[i, j] = p[i, j] · (dy[i, j] − Σ_c dy[i, c]·p[i, c])
            float[] dy = out.grad();
            for (int i = 0; i < n; i++) {
                int row = i * classes;
                double dot = 0;
                for (int c = 0; c < classes; c++) {
                    dot += dy[row + c] * p[row + c];
                }
                for (int j = 0; j < classes; j++) {
                    dz[row + j] += (float) (p[row + j] * (dy[row + j] - dot));
                }
            }
        }, logits);
    }

    /**
     * Row-wise log-softmax in double, {@code z − max − log Σ exp(z − max)}: with the row's maximum subtracted no
     * exponential overflows, and a class far below the others gets a large finite −logp rather than log(0).
     */
    // z [n, C] -> logp [n, C]
    private static double[] logSoftmax(float[] z, int n, int classes) {
        double[] p = new double[n * classes];
        for (int i = 0; i < n; i++) {
            int row = i * classes;
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                max = Math.max(max, z[row + c]);
            }
            double sum = 0;
            for (int c = 0; c < classes; c++) {
                sum += Math.exp(z[row + c] - max);
            }
            double logSum = Math.log(sum);
            for (int c = 0; c < classes; c++) {
                p[row + c] = z[row + c] - max - logSum;
            }
        }
        return p;
    }

    /** {@return the class weights, or {@code null} for equal weights} A copy. */
    public float[] classWeights() {
        return classWeights == null ? null : classWeights.clone();
    }

    /** {@return ε, the label smoothing} */
    public float labelSmoothing() {
        return labelSmoothing;
    }

    @Override
    public String toString() {
        return NAME + "(weight=" + (classWeights == null ? "None" : java.util.Arrays.toString(classWeights))
                + ", label_smoothing=" + labelSmoothing + ")";
    }
}
