package dev.vnet.bench;

import dev.vnet.core.kernels.ConvGeometry;
import dev.vnet.core.kernels.GemmConvKernels;
import dev.vnet.core.kernels.Kernels;
import dev.vnet.core.kernels.Parallel;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;

/**
 * The 5×5 forward of inference ({@link GemmConvKernels#forwardInference}, the Winograd weight transform kept between
 * calls) next to the training forward ({@link GemmConvKernels#forward}, transformed on every call, and the shifted
 * plans below 4096 output positions), call by call in turns, one thread, thread CPU time, median of {@code repeats}
 * calls after two of each. The training forward is given a copy of the weights, so that it does not drop the
 * transform kept for the other array. Shapes: the deep layers of a batch of four at 256² and 128², and those of a
 * whole 2592×1944 photograph at the {@code recommended} preset's working scale (one 656×496 pass).
 * <pre>java --add-modules jdk.incubator.vector -cp vnet-bench/target/benchmarks.jar dev.vnet.bench.InferenceConvTiming [repeats]</pre>
 */
public final class InferenceConvTiming {

    private InferenceConvTiming() {}

    public static void main(String[] args) {
        int repeats = args.length > 0 ? Integer.parseInt(args[0]) : 9;
        Parallel.setThreads(1);
        Kernels.keepWeightTransforms(256);
        ThreadMXBean clock = ManagementFactory.getThreadMXBean();
        GemmConvKernels kernels = GemmConvKernels.instance();
        // n, channels, height, width
        int[][] shapes = {{4, 256, 16, 16}, {4, 128, 16, 16}, {4, 256, 8, 8}, {4, 128, 32, 32}, {4, 64, 64, 64},
                {4, 32, 128, 128}, {1, 256, 31, 41}, {1, 256, 62, 82}, {1, 128, 62, 82}, {1, 64, 124, 164}};
        System.out.printf(Locale.ROOT, "5x5 forward, 1 thread, median of %d calls (thread CPU time), %s%n", repeats,
                System.getProperty("os.arch"));
        Random random = new Random(1);
        for (int[] s : shapes) {
            ConvGeometry g = new ConvGeometry(s[0], s[1], s[2], s[3], s[1], 5, 5, 1, 1, 2, 2);
            float[] x = new float[g.inputSize()];
            float[] w = new float[g.weightSize()];
            float[] y = new float[g.outputSize()];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) random.nextGaussian();
            }
            for (int i = 0; i < w.length; i++) {
                w[i] = (float) random.nextGaussian() * 0.05f;
            }
            float[] trainingCopy = w.clone();
            double[][] ms = new double[2][repeats];
            for (int i = -2; i < repeats; i++) {
                for (int v = 0; v < 2; v++) {
                    long t0 = clock.getCurrentThreadCpuTime();
                    if (v == 0) {
                        kernels.forward(g, x, trainingCopy, null, y);
                    } else {
                        kernels.forwardInference(g, x, w, null, y);
                    }
                    if (i >= 0) {
                        ms[v][i] = (clock.getCurrentThreadCpuTime() - t0) / 1e6;
                    }
                }
            }
            double forward = median(ms[0]);
            double inference = median(ms[1]);
            System.out.printf(Locale.ROOT, "n=%d %3d channels %3dx%-3d (%6d positions)  forward %7.2f ms  "
                    + "forwardInference %7.2f ms  ratio %.2f%n", g.n(), g.c(), g.h(), g.w(), g.n() * g.p() * g.q(),
                    forward, inference, forward / inference);
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
