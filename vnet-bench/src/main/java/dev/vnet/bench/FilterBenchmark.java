package dev.vnet.bench;

import dev.vnet.ops.Clahe;
import dev.vnet.ops.ColorConvert;
import dev.vnet.ops.GaussianBlur;
import dev.vnet.ops.Image8;
import dev.vnet.ops.MedianBlur;
import dev.vnet.ops.Resize;
import dev.vnet.parallel.WorkerPool;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Time of one call of each preprocessing filter on a 2592x1944 RGB image (the size of an ALL-IDB1 smear),
 * with the thread count of the default {@link WorkerPool} set by {@code threads}. The image is {@link FilterTiming#image()}:
 * random noise smoothed by a 3x3 box filter, as {@code tools/bench/opencv_filters.py} makes it for OpenCV's
 * numbers. Each method returns its output image so that the work cannot be optimised away.
 *
 * <p>Run: {@code mvn -q -pl vnet-bench -am package -DskipTests && java -jar vnet-bench/target/benchmarks.jar FilterBenchmark}
 * (or any JMH runner on this class).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class FilterBenchmark {
    /** Worker threads for the filters; 1 compares with OpenCV's {@code cv2.setNumThreads(1)}. */
    @Param({"1"})
    public int threads;

    /**
     * The filters' Vector API code ({@code true}, the default of a JVM with {@code jdk.incubator.vector}) or their
     * scalar code ({@code false}): the value of the system property {@code vnet.ops.vector}, set in each fork
     * before vnet-ops makes its choice.
     */
    @Param({"true", "false"})
    public String vector;

    private Image8 image;
    private Image8 gray;

    @Setup
    public void setUp() {
        System.setProperty("vnet.ops.vector", vector);
        WorkerPool.setDefaultThreads(threads);
        image = FilterTiming.image();
        gray = ColorConvert.rgbToGray(image);
    }

    @Benchmark
    public Image8 gaussianK5() {
        return GaussianBlur.apply(image, 5, 0);
    }

    @Benchmark
    public Image8 gaussianK15() {
        return GaussianBlur.apply(image, 15, 0);
    }

    @Benchmark
    public Image8 medianK3() {
        return MedianBlur.apply(image, 3);
    }

    @Benchmark
    public Image8 medianK5() {
        return MedianBlur.apply(image, 5);
    }

    @Benchmark
    public Image8 medianK9() {
        return MedianBlur.apply(image, 9);
    }

    @Benchmark
    public Image8 medianK21() {
        return MedianBlur.apply(image, 21);
    }

    @Benchmark
    public Image8 claheGray() {
        return Clahe.apply(gray, 2.0, 8, 8);
    }

    @Benchmark
    public Image8 claheRgbLab() {
        return Clahe.apply(image, 2.0, 8, 8, Clahe.ColorMode.LAB_LIGHTNESS);
    }

    @Benchmark
    public Image8 resizeLinearTo256() {
        return Resize.apply(image, 256, 256, Resize.Interpolation.LINEAR);
    }

    @Benchmark
    public Image8 resizeAreaTo256() {
        return Resize.apply(image, 256, 256, Resize.Interpolation.AREA);
    }

    @Benchmark
    public Image8 resizeLinearHalf() {
        return Resize.apply(image, 1296, 972, Resize.Interpolation.LINEAR);
    }

    @Benchmark
    public Image8 resizeNearestTo256() {
        return Resize.apply(image, 256, 256, Resize.Interpolation.NEAREST);
    }
}
