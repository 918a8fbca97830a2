package dev.vnet.train.classify;

import dev.vnet.io.synth.Camera;
import dev.vnet.io.synth.SmearConfig;
import dev.vnet.io.synth.SmearGenerator;
import java.util.ArrayList;
import java.util.List;

/** Synthetic single-cell crops in memory, for tests that train the classifier. */
final class SyntheticCrops {
    private SyntheticCrops() {}

    /**
     * {@return {@code n} crops, blasts and normal white cells alternating: ALL-IDB2's context (257 px on the 2592
     * camera) at a quarter of its magnification (64 px, blasts about 28 px across), resized to {@code side}}
     */
    static List<CellCrop> crops(int n, int side, long seed) {
        SmearGenerator g = new SmearGenerator(SmearConfig.realistic(Camera.preset("2592").scaled(0.25))
                .withSize(64, 64).withSeed(seed));
        List<CellCrop> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            var cell = g.renderCell(i, i % 2 == 0);
            out.add(new CellCrop(cell.name(), CellCrops.resized(cell.image(), side), cell.all()));
        }
        return out;
    }

    /** A tiny classifier: width 8, no dropout, no smoothing, no validation, not augmented, one thread. */
    static ClassifierConfig tiny(int side, int epochs) {
        return new ClassifierConfig(side, 8, 3, 1, 0, epochs, 8, 5e-3, 0, 0, 0, false, 1, 1);
    }
}
