import dev.vnet.ops.Clahe;
import dev.vnet.ops.GaussianBlur;
import dev.vnet.ops.Image8;
import dev.vnet.ops.MedianBlur;
import dev.vnet.ops.Resize;
import dev.vnet.ops.RowBands;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * Times of the preprocessing operations on a 2592x1944 RGB image, the counterpart of opencv_filters.py
 * (same operations and image size; random content with a fixed seed, smoothed by a 3x3 Gaussian).
 *
 * <pre>
 * mvn -o -q -pl vnet-ops compile
 * java -cp vnet-ops/target/classes tools/bench/FilterTiming.java [threads] [operation ...]
 * </pre>
 *
 * Prints, per operation, the median of 11 timed calls after a warm-up: wall-clock time and the CPU time of
 * the calling thread (the steadier number on a shared machine, but only the calling thread's share when
 * threads > 1). vnet-bench's FilterBenchmark (JMH) measures the resize, Gaussian and median operations too.
 */
public class FilterTiming {
    public static void main(String[] args) {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        RowBands.setThreads(threads);
        SplittableRandom r = new SplittableRandom(1);
        byte[] d = new byte[2592 * 1944 * 3];
        for (int i = 0; i < d.length; i++) {
            d[i] = (byte) r.nextInt(256);
        }
        Image8 img = GaussianBlur.apply(new Image8(2592, 1944, 3, d), 3, 0);
        Map<String, Supplier<Image8>> ops = new LinkedHashMap<>();
        ops.put("resize LINEAR 256x256", () -> Resize.apply(img, 256, 256, Resize.Interpolation.LINEAR));
        ops.put("resize AREA 256x256", () -> Resize.apply(img, 256, 256, Resize.Interpolation.AREA));
        ops.put("resize LINEAR 1296x972 (2x)", () -> Resize.apply(img, 1296, 972, Resize.Interpolation.LINEAR));
        ops.put("resize NEAREST 256x256", () -> Resize.apply(img, 256, 256, Resize.Interpolation.NEAREST));
        ops.put("GaussianBlur k=5", () -> GaussianBlur.apply(img, 5, 0));
        ops.put("GaussianBlur k=15", () -> GaussianBlur.apply(img, 15, 0));
        ops.put("medianBlur k=3", () -> MedianBlur.apply(img, 3));
        ops.put("medianBlur k=5", () -> MedianBlur.apply(img, 5));
        ops.put("medianBlur k=9", () -> MedianBlur.apply(img, 9));
        ops.put("CLAHE 2.0 8x8 Lab L", () -> Clahe.apply(img, 2.0, 8, 8, Clahe.ColorMode.LAB_LIGHTNESS));
        ops.put("CLAHE 2.0 8x8 each channel", () -> Clahe.apply(img, 2.0, 8, 8, Clahe.ColorMode.EACH_CHANNEL));
        List<String> selected = args.length > 1 ? Arrays.asList(args).subList(1, args.length) : List.copyOf(ops.keySet());
        ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        System.out.printf("vnet-ops, %d thread(s), image 2592x1944x3%n", threads);
        for (String name : selected) {
            Supplier<Image8> op = ops.get(name);
            if (op == null) {
                throw new IllegalArgumentException("unknown operation '" + name + "', expected one of " + ops.keySet());
            }
            long warmUntil = System.nanoTime() + 3_000_000_000L;
            for (int i = 0; i < 30 && System.nanoTime() < warmUntil; i++) {
                op.get();
            }
            double[] wall = new double[11];
            double[] cpu = new double[11];
            for (int i = 0; i < wall.length; i++) {
                long c0 = bean.getCurrentThreadCpuTime();
                long t0 = System.nanoTime();
                op.get();
                wall[i] = (System.nanoTime() - t0) / 1e6;
                cpu[i] = (bean.getCurrentThreadCpuTime() - c0) / 1e6;
            }
            Arrays.sort(wall);
            Arrays.sort(cpu);
            System.out.printf("%-30s wall %8.2f ms  cpu %8.2f ms%n", name, wall[5], cpu[5]);
        }
        System.exit(0); // the RowBands pool threads are daemons, but do not wait for them
    }
}
