package dev.vnet.core.kernels;

import dev.vnet.parallel.WorkerPool;
import java.nio.FloatBuffer;
import java.util.Arrays;
import org.bytedeco.javacpp.FloatPointer;

/** One thread's reusable buffers of {@link GemmConvKernels}; they only grow. */
final class GemmScratch {
    private static final ThreadLocal<GemmScratch> OF_THREAD = ThreadLocal.withInitial(GemmScratch::new);

    FloatPointer colPtr;
    FloatBuffer colBuf;
    FloatPointer outPtr;
    FloatBuffer outBuf;
    FloatPointer weightsPtr;
    FloatBuffer weightsBuf;
    FloatPointer[] partials = new FloatPointer[0];
    float[] heap = new float[0];
    float[] heap2 = new float[0];
    float[] heap3 = new float[0];
    FloatPointer paddedPtr;
    FloatBuffer paddedBuf;
    float[] line = new float[0];
    float[] padded = new float[0];

    FloatBuffer col(long size) {
        if (colPtr == null || colPtr.capacity() < size) {
            free(colPtr);
            colPtr = allocate(size);
            colBuf = colPtr.asBuffer();
        }
        return colBuf;
    }

    FloatBuffer out(long size) {
        if (outPtr == null || outPtr.capacity() < size) {
            free(outPtr);
            outPtr = allocate(size);
            outBuf = outPtr.asBuffer();
        }
        return outBuf;
    }

    FloatBuffer weights(long size) {
        if (weightsPtr == null || weightsPtr.capacity() < size) {
            free(weightsPtr);
            weightsPtr = allocate(size);
            weightsBuf = weightsPtr.asBuffer();
        }
        return weightsBuf;
    }

    FloatPointer[] partials(int count, long size) {
        if (partials.length < count) {
            partials = Arrays.copyOf(partials, count);
        }
        for (int i = 0; i < count; i++) {
            if (partials[i] == null || partials[i].capacity() < size) {
                free(partials[i]);
                partials[i] = allocate(size);
            }
        }
        return partials;
    }

    float[] heap(long size) {
        if (heap.length < size) {
            heap = new float[checkedSize(size)];
        }
        return heap;
    }

    float[] heap2(long size) {
        if (heap2.length < size) {
            heap2 = new float[checkedSize(size)];
        }
        return heap2;
    }

    float[] heap3(long size) {
        if (heap3.length < size) {
            heap3 = new float[checkedSize(size)];
        }
        return heap3;
    }

    float[] line(int size) {
        if (line.length < size) {
            line = new float[size];
        }
        return line;
    }

    /**
     * {@code x} copied into {@code [n, c, h + 2·padH, w + 2·padW]} with zero borders, plus {@code s} spare
     * floats at the end: the last im2col slice of the last channel reads up to {@code s − 1} floats past it
     * (into columns that are discarded).
     */
    float[] paddedInput(ConvGeometry g, float[] x) {
        int ph = g.padH(), pw = g.padW();
        if (ph == 0 && pw == 0 && g.s() == 1) {
            return x;
        }
        int hp = g.h() + 2 * ph, wp = g.w() + 2 * pw;
        long size = (long) g.n() * g.c() * hp * wp + g.s();
        if (padded.length < size) {
            padded = new float[checkedSize(size)];
        }
        float[] xp = padded;
        int planes = g.n() * g.c();
        int h = g.h(), w = g.w();
        WorkerPool.current().forRange(planes, (chunk, from, to) -> {
            for (int plane = from; plane < to; plane++) {
                int dst = plane * hp * wp;
                int src = plane * h * w;
                Arrays.fill(xp, dst, dst + ph * wp, 0f);
                for (int i = 0; i < h; i++) {
                    int d = dst + (ph + i) * wp;
                    Arrays.fill(xp, d, d + pw, 0f);
                    System.arraycopy(x, src + i * w, xp, d + pw, w);
                    Arrays.fill(xp, d + pw + w, d + wp, 0f);
                }
                Arrays.fill(xp, dst + (ph + h) * wp, dst + hp * wp, 0f);
            }
        });
        Arrays.fill(xp, planes * hp * wp, (int) size, 0f);
        return xp;
    }

    /** {@code x} copied into off-heap {@code [n, c, h + 2·padH, w + 2·padW]} with zero borders. */
    FloatPointer paddedOffHeap(ConvGeometry g, float[] x) {
        int ph = g.padH(), pw = g.padW();
        int hp = g.h() + 2 * ph, wp = g.w() + 2 * pw;
        long size = (long) g.n() * g.c() * hp * wp;
        checkedSize(size);
        if (paddedPtr == null || paddedPtr.capacity() < size) {
            free(paddedPtr);
            paddedPtr = allocate(size);
            paddedBuf = paddedPtr.asBuffer();
        }
        FloatBuffer xp = paddedBuf;
        int planes = g.n() * g.c();
        int h = g.h(), w = g.w();
        WorkerPool.current().forRange(planes, (chunk, from, to) -> {
            float[] line = new float[wp];
            for (int plane = from; plane < to; plane++) {
                int dst = plane * hp * wp;
                int src = plane * h * w;
                Arrays.fill(line, 0f);
                for (int i = 0; i < ph; i++) {
                    xp.put(dst + i * wp, line, 0, wp);
                    xp.put(dst + (ph + h + i) * wp, line, 0, wp);
                }
                for (int i = 0; i < h; i++) {
                    System.arraycopy(x, src + i * w, line, pw, w);
                    xp.put(dst + (ph + i) * wp, line, 0, wp);
                }
            }
        });
        return paddedPtr;
    }

    private static int checkedSize(long size) {
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("conv2d: scratch of " + size + " floats exceeds the largest Java array");
        }
        return (int) size;
    }

    // Exactly the size asked for (at least 1024 floats): a buffer grows to the largest layer's need once, in the
    // first step, and a margin for growth would stay unused off-heap memory for the rest of the run.
    static FloatPointer allocate(long size) {
        long n = Math.max(size, 1024);
        FloatPointer p = new FloatPointer(n);
        p.zero();
        return p;
    }

    private static void free(FloatPointer p) {
        if (p != null) {
            p.deallocate();
        }
    }

    /** {@return the calling thread's buffers} */
    static GemmScratch get() {
        return OF_THREAD.get();
    }
}
