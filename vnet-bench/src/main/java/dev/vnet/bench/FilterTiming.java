package dev.vnet.bench;

import dev.vnet.ops.Borders;
import dev.vnet.ops.Clahe;
import dev.vnet.ops.ColorConvert;
import dev.vnet.ops.GaussianBlur;
import dev.vnet.ops.Image8;
import dev.vnet.ops.MedianBlur;
import dev.vnet.ops.Resize;
import dev.vnet.ops.preprocess.Pipeline;
import dev.vnet.ops.preprocess.PreprocessConfig;
import dev.vnet.parallel.WorkerPool;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * A plain timing loop over the preprocessing operations on a 2592x1944 RGB image, printed in the same layout as
 * {@code tools/bench/opencv_filters.py} so that the two can be run back to back and compared line by line (the
 * machine is shared, so ratios of back-to-back runs say more than absolute times). Each operation is warmed up
 * (the JIT compiles it) and then timed {@code repeats} times; the median wall-clock time and the median CPU time
 * of the calling thread are printed. With one thread every operation runs on the calling thread, so its CPU time
 * is the operation's own and is disturbed far less by other jobs on the machine than the wall-clock time (the
 * Python script prints {@code time.thread_time()} for the same purpose). JMH's {@link FilterBenchmark} measures
 * the same operations more carefully but takes minutes.
 *
 * <p>The filters take their Vector API code when the JVM runs with {@code --add-modules jdk.incubator.vector} and
 * their scalar code without it or with {@code -Dvnet.ops.vector=false}; the first line printed says which.
 *
 * <pre>java --add-modules jdk.incubator.vector [-Dvnet.ops.vector=false] -cp vnet-ops/target/classes:vnet-bench/target/classes dev.vnet.bench.FilterTiming [threads] [repeats] [name filter]</pre>
 */
public final class FilterTiming {

    private FilterTiming() {}

    /** The test image: uniform noise smoothed by a 3x3 box filter, like the Python script's. */
    static Image8 image() {
        int w = 2592;
        int h = 1944;
        SplittableRandom r = new SplittableRandom(1);
        byte[] noise = new byte[w * h * 3];
        for (int i = 0; i < noise.length; i++) {
            noise[i] = (byte) r.nextInt(256);
        }
        byte[] d = new byte[noise.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < 3; c++) {
                    int sum = 0;
                    for (int dy = -1; dy <= 1; dy++) {
                        int sy = Borders.reflect101(y + dy, h);
                        for (int dx = -1; dx <= 1; dx++) {
                            int sx = Borders.reflect101(x + dx, w);
                            sum += noise[(sy * w + sx) * 3 + c] & 0xFF;
                        }
                    }
                    d[(y * w + x) * 3 + c] = (byte) Math.round(sum / 9.0f);
                }
            }
        }
        return new Image8(w, h, 3, d);
    }

    public static void main(String[] args) {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        String filter = args.length > 2 ? args[2] : "";
        WorkerPool.setDefaultThreads(threads);
        Image8 img = image();
        Image8 gray = ColorConvert.rgbToGray(img);
        Pipeline paper = PreprocessConfig.paper().pipeline();
        Map<String, Supplier<Image8>> ops = new LinkedHashMap<>();
        ops.put("resize LINEAR 256x256", () -> Resize.apply(img, 256, 256, Resize.Interpolation.LINEAR));
        ops.put("resize AREA 256x256", () -> Resize.apply(img, 256, 256, Resize.Interpolation.AREA));
        ops.put("resize LINEAR 1296x972 (2x)", () -> Resize.apply(img, 1296, 972, Resize.Interpolation.LINEAR));
        ops.put("resize NEAREST 256x256", () -> Resize.apply(img, 256, 256, Resize.Interpolation.NEAREST));
        ops.put("RGB2GRAY", () -> ColorConvert.rgbToGray(img));
        ops.put("GaussianBlur k=5", () -> GaussianBlur.apply(img, 5, 0));
        ops.put("GaussianBlur k=15", () -> GaussianBlur.apply(img, 15, 0));
        ops.put("medianBlur k=3", () -> MedianBlur.apply(img, 3));
        ops.put("medianBlur k=5", () -> MedianBlur.apply(img, 5));
        ops.put("medianBlur k=9", () -> MedianBlur.apply(img, 9));
        ops.put("medianBlur k=21", () -> MedianBlur.apply(img, 21));
        ops.put("CLAHE gray 2.0 8x8", () -> Clahe.apply(gray, 2.0, 8, 8));
        ops.put("CLAHE RGB (Lab) 2.0 8x8", () -> Clahe.apply(img, 2.0, 8, 8, Clahe.ColorMode.LAB_LIGHTNESS));
        ops.put("paper pipeline", () -> paper.apply(img));
        boolean vectorApi = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
                && !"false".equalsIgnoreCase(System.getProperty("vnet.ops.vector", "").trim());
        System.out.printf(Locale.ROOT, "vnet-ops, %d thread(s), image (%d, %d, %d), %s%n", threads, img.height(),
                img.width(), img.channels(), vectorApi ? "Vector API" : "scalar code");
        System.out.printf(Locale.ROOT, "%-30s %11s %11s%n", "operation", "wall", "thread CPU");
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long checksum = 0;
        for (Map.Entry<String, Supplier<Image8>> op : ops.entrySet()) {
            if (!op.getKey().contains(filter)) {
                continue;
            }
            Supplier<Image8> fn = op.getValue();
            // 4 s: the Vector API code runs 10-100x slower until the JIT has compiled it, and on the 256x256
            // steps of the paper pipeline that took 40 calls and 3-5 s after the first call; fast operations stop
            // at 400 calls
            long warmupEnd = System.nanoTime() + 4_000_000_000L;
            int warm = 0;
            while (warm < 3 || (warm < 400 && System.nanoTime() < warmupEnd)) {
                checksum += fn.get().data()[0];
                warm++;
            }
            double[] ms = new double[repeats];
            double[] cpu = new double[repeats];
            for (int i = 0; i < repeats; i++) {
                long c0 = mx.getCurrentThreadCpuTime();
                long t0 = System.nanoTime();
                checksum += fn.get().data()[0];
                ms[i] = (System.nanoTime() - t0) / 1e6;
                cpu[i] = (mx.getCurrentThreadCpuTime() - c0) / 1e6;
            }
            Arrays.sort(ms);
            Arrays.sort(cpu);
            System.out.printf(Locale.ROOT, "%-30s %8.2f ms %8.2f ms%n", op.getKey(), ms[repeats / 2],
                    cpu[repeats / 2]);
        }
        if (checksum == 42) {
            System.out.println();
        }
    }
}
