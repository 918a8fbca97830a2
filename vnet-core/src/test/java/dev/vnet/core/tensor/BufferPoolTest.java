package dev.vnet.core.tensor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vnet.core.loss.DiceBceLoss;
import dev.vnet.core.nn.Parameter;
import dev.vnet.core.nn.vnet.VNet;
import dev.vnet.core.nn.vnet.VNetConfig;
import dev.vnet.core.ops.Activations;
import dev.vnet.core.ops.Elementwise;
import dev.vnet.core.ops.Reductions;
import dev.vnet.core.optim.Adam;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** That reusing a step's arrays changes no number, reuses them, and never hands out an array still read. */
class BufferPoolTest {
    // 4 × 4 × 64 × 64 floats: every activation of the first level is above BufferPool.MIN_LENGTH
    private static final int SIZE = 64;

    @Test
    void trainingWithAPoolGivesBitIdenticalWeightsAndReusesItsArrays() {
        BufferPool pool = new BufferPool();
        List<float[]> plain = train(null, 4);
        List<float[]> pooled = train(pool, 4);
        assertThat(pooled).hasSameSizeAs(plain);
        for (int i = 0; i < plain.size(); i++) {
            assertThat(pooled.get(i)).as("tensor %d", i).containsExactly(plain.get(i));
        }
        // the first step allocates what later steps take back: after it, (almost) every array is a reused one
        assertThat(pool.reused()).isGreaterThan(3 * pool.allocated());
        assertThat(pool.freeBytes()).isPositive();
    }

    @Test
    void aKeptOutputAndAReshapedViewSurviveTheBackwardPass() {
        BufferPool pool = new BufferPool();
        Tensor w = Tensor.randn(new Rng(3), 1f, 4, BufferPool.MIN_LENGTH).requiresGrad(true);
        Tensor kept;
        Tensor view;
        float[] keptValues;
        float[] viewValues;
        try (var ignored = pool.use()) {
            Tensor h = Activations.relu(w);
            kept = Elementwise.mulScalar(h, 2f).keepData();
            view = Activations.sigmoid(kept).reshape(2, 2 * BufferPool.MIN_LENGTH);
            keptValues = kept.data().clone();
            viewValues = view.data().clone();
            Reductions.sum(Elementwise.mul(view, view)).backward();
            // arrays handed out after the backward pass come from what it gave back
            for (int i = 0; i < 6; i++) {
                Tensor fresh = Activations.relu(Elementwise.mulScalar(w, -3f));
                assertThat(fresh.data()).isNotSameAs(kept.data()).isNotSameAs(view.data());
            }
        }
        assertThat(pool.reused()).isPositive();
        assertThat(kept.data()).containsExactly(keptValues);
        assertThat(view.data()).containsExactly(viewValues);
    }

    @Test
    void valuesNoClosureReadsGoBackBeforeTheFirstGradient() {
        int n = BufferPool.MIN_LENGTH;
        BufferPool pool = new BufferPool();
        Tensor w = Tensor.randn(new Rng(5), 1f, n).requiresGrad(true);
        try (var ignored = pool.use()) {
            Tensor h = Elementwise.mulScalar(w, 2f);   // read by no closure: add reads neither input
            Tensor t = Elementwise.add(h, h);          // read by relu's closure
            Tensor r = Activations.relu(t);            // kept: sum is not marked, so counts as reading its input
            Reductions.sum(r).backward();
        }
        // Forward: h, t, r (3 arrays). Backward: h goes back at once, so the gradients of r and t (and later h)
        // take 2 arrays more at most: 4 at the peak; without the early return, the pass peaks at 5.
        assertThat(pool.peakBytesInUse()).isEqualTo(4L * Float.BYTES * n);
        assertThat(w.grad()).isNotNull();
    }

    @Test
    void inferenceReusesEachLayersArraysWithinAPassAndGivesTheSameLogits() {
        Rng rng = new Rng(11);
        VNet model = new VNet(VNetConfig.builder().inChannels(1).baseWidth(4).build(), rng);
        model.eval();
        // 100 × 120 is not a multiple of 16: the padded input and the uncropped logits are released too
        Tensor x = Tensor.uniform(rng, 0f, 1f, 2, 1, 100, 120);
        float[] plain;
        try (var ignored = GradMode.noGrad()) {
            plain = model.forward(x).data().clone();
        }
        BufferPool pool = new BufferPool();
        for (int pass = 0; pass < 3; pass++) {
            try (var ignored = GradMode.noGrad(); var scope = pool.use()) {
                assertThat(model.forward(x).data()).as("pass %d", pass).containsExactly(plain);
            }
            if (pass == 0) {
                // within the first pass already, later layers take arrays earlier ones gave back
                assertThat(pool.reused()).isPositive();
            }
        }
        long afterOnePass = pool.allocated();
        assertThat(pool.reused()).isGreaterThan(afterOnePass);
    }

    @Test
    void releaseDoesNothingWhileAGraphIsRecorded() {
        BufferPool pool = new BufferPool();
        Tensor w = Tensor.randn(new Rng(6), 1f, BufferPool.MIN_LENGTH).requiresGrad(true);
        try (var ignored = pool.use()) {
            Tensor h = Elementwise.mulScalar(w, 3f);
            float[] values = h.data().clone();
            h.release();
            Tensor other = Elementwise.mulScalar(w, -1f);
            assertThat(other.data()).isNotSameAs(h.data());
            assertThat(h.data()).containsExactly(values);
        }
    }

    @Test
    void outsideAScopeNothingIsPooled() {
        BufferPool pool = new BufferPool();
        try (var ignored = pool.use()) {
            assertThat(BufferPool.active()).isSameAs(pool);
        }
        assertThat(BufferPool.active()).isNull();
        Tensor w = Tensor.randn(new Rng(4), 1f, BufferPool.MIN_LENGTH).requiresGrad(true);
        Reductions.sum(Activations.relu(w)).backward();
        assertThat(pool.reused()).isZero();
        assertThat(pool.allocated()).isZero();
    }

    /** {@code steps} Adam steps of a small V-Net; returns every step's output and the final weights. */
    private static List<float[]> train(BufferPool pool, int steps) {
        Rng rng = new Rng(7);
        VNet model = new VNet(VNetConfig.builder().inChannels(1).baseWidth(4).build(), rng);
        Adam adam = new Adam(model.parameters(), 1e-3);
        Tensor x = Tensor.uniform(rng, 0f, 1f, 4, 1, SIZE, SIZE);
        Tensor y = Tensor.zeros(4, 1, SIZE, SIZE);
        for (int i = 0; i < y.size(); i += 3) {
            y.data()[i] = 1f;
        }
        List<float[]> out = new ArrayList<>();
        for (int s = 0; s < steps; s++) {
            adam.zeroGrad();
            var scope = pool == null ? null : pool.use();
            try {
                Tensor logits = model.forward(x).keepData();
                new DiceBceLoss().forward(logits, y).backward();
                adam.step();
                out.add(logits.data().clone());
            } finally {
                if (scope != null) {
                    scope.close();
                }
            }
        }
        for (Parameter p : model.parameters().values()) {
            out.add(p.value().data().clone());
        }
        return out;
    }
}
