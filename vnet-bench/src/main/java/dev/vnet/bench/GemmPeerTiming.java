package dev.vnet.bench;

import static org.bytedeco.openblas.global.openblas_nolapack.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas_nolapack.blas_get_num_threads;
import static org.bytedeco.openblas.global.openblas_nolapack.blas_set_num_threads;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_sgemm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The same {@code n³} single-precision product through OpenBLAS directly and through ND4J, to see where ND4J's
 * GEMM loses time: {@code cblas_sgemm} on off-heap {@code FloatPointer}s and on Java arrays (JavaCPP copies them
 * on every call), {@code Nd4j.gemm} into a preallocated result in C and F order, and {@code INDArray.mmul}
 * (allocates its result). The variants run round-robin so that a busy machine slows them alike; each line is
 * the median wall time.
 *
 * <pre>java -cp vnet-bench/target/benchmarks.jar dev.vnet.bench.GemmPeerTiming [n] [rounds] [threads]</pre>
 */
public final class GemmPeerTiming {

    private GemmPeerTiming() {}

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 2048;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        Loader.load(openblas_nolapack.class);
        int blasBefore = blas_get_num_threads();
        Nd4j.create(1); // initialises the backend, which sets OpenBLAS's thread count
        int blasAfterNd4j = blas_get_num_threads();
        System.out.printf(Locale.ROOT, "OpenBLAS threads: %d before ND4J's backend loads, %d after; ND4J maxThreads=%d%n",
                blasBefore, blasAfterNd4j, Nd4j.getEnvironment().maxThreads());
        long size = (long) n * n;
        float[] a = new float[(int) size], b = new float[(int) size], c = new float[(int) size];
        java.util.Random rnd = new java.util.Random(42);
        for (int i = 0; i < size; i++) {
            a[i] = rnd.nextFloat() - 0.5f;
            b[i] = rnd.nextFloat() - 0.5f;
        }
        FloatPointer pa = new FloatPointer(a), pb = new FloatPointer(b), pc = new FloatPointer(size);
        INDArray na = Nd4j.create(a, new long[] {n, n}, 'c'), nb = Nd4j.create(b, new long[] {n, n}, 'c');
        INDArray nc = Nd4j.create(DataType.FLOAT, new long[] {n, n}, 'c');
        INDArray fa = na.dup('f'), fb = nb.dup('f');
        INDArray fc = Nd4j.create(DataType.FLOAT, new long[] {n, n}, 'f');

        Map<String, Runnable> variants = new LinkedHashMap<>();
        variants.put("cblas_sgemm, off-heap, 1 OpenBLAS thread", () -> {
            blas_set_num_threads(1);
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1f, pa, n, pb, n, 0f, pc, n);
        });
        variants.put("cblas_sgemm, off-heap, " + threads + " OpenBLAS threads", () -> {
            blas_set_num_threads(threads);
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1f, pa, n, pb, n, 0f, pc, n);
        });
        variants.put("cblas_sgemm, float[] (copied by JavaCPP), " + threads + " threads", () -> {
            blas_set_num_threads(threads);
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1f, a, n, b, n, 0f, c, n);
        });
        variants.put("Nd4j.gemm, C order, OpenBLAS threads as ND4J set them", () -> {
            blas_set_num_threads(blasAfterNd4j);
            Nd4j.gemm(na, nb, nc, false, false, 1.0, 0.0);
        });
        variants.put("Nd4j.gemm, C order, " + threads + " threads", () -> {
            blas_set_num_threads(threads);
            Nd4j.gemm(na, nb, nc, false, false, 1.0, 0.0);
        });
        variants.put("Nd4j.gemm, F order, " + threads + " threads", () -> {
            blas_set_num_threads(threads);
            Nd4j.gemm(fa, fb, fc, false, false, 1.0, 0.0);
        });
        variants.put("INDArray.mmul (new result), " + threads + " threads", () -> {
            blas_set_num_threads(threads);
            na.mmul(nb);
        });
        List<String> names = new ArrayList<>(variants.keySet());
        double[][] ms = new double[names.size()][rounds];
        for (int round = -1; round < rounds; round++) {
            for (int v = 0; v < names.size(); v++) {
                long t0 = System.nanoTime();
                variants.get(names.get(v)).run();
                if (round >= 0) {
                    ms[v][round] = (System.nanoTime() - t0) / 1e6;
                }
            }
        }
        double flops = 2.0 * n * n * n;
        System.out.printf(Locale.ROOT, "%d³ sgemm, median of %d rounds:%n", n, rounds);
        for (int v = 0; v < names.size(); v++) {
            Arrays.sort(ms[v]);
            double median = ms[v][rounds / 2];
            System.out.printf(Locale.ROOT, "  %-62s %8.1f ms %7.1f GFLOP/s%n", names.get(v), median, flops / median / 1e6);
        }
        blas_set_num_threads(blasBefore);
    }
}
