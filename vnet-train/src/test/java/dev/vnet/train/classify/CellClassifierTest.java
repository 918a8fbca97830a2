package dev.vnet.train.classify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vnet.core.tensor.Tensor;
import dev.vnet.ops.Image8;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CellClassifierTest {
    @Test
    void stateDictHasResNetNamesAndTheCountOfItsLayers() {
        ClassifierConfig c = new ClassifierConfig(32, 8, 3, 1, 0.2, 1, 4, 1e-3, 0, 0, 0, false, 1, 1);
        CellClassifier m = new CellClassifier(c, 1);
        Map<String, Tensor> sd = m.stateDict();
        assertTrue(sd.containsKey("conv1.weight"));
        assertTrue(sd.containsKey("layer1.0.conv2.weight"));
        assertTrue(sd.containsKey("layer2.0.downsample.0.weight"));
        assertTrue(sd.containsKey("layer3.0.bn2.running_var"));
        assertTrue(!sd.containsKey("layer1.0.downsample.0.weight"), "the first stage keeps its shape: no projection");
        assertArrayEquals(new int[] {2, 32}, sd.get("fc.weight").shape());
        // stem 3·8·9 + bn 16; each block 2 convs + 2 bns, with a projection (conv 1×1 + bn) where the shape changes.
        long stem = 3 * 8 * 9 + 16;
        long l1 = 2 * (8 * 8 * 9 + 16);
        long l2 = 8 * 16 * 9 + 32 + 16 * 16 * 9 + 32 + 8 * 16 + 32;
        long l3 = 16 * 32 * 9 + 64 + 32 * 32 * 9 + 64 + 16 * 32 + 64;
        long fc = 32 * 2 + 2;
        assertEquals(stem + l1 + l2 + l3 + fc, m.parameterCount());
        List<dev.vnet.core.nn.ModuleTable.Row> rows = m.layers();
        assertEquals(stem + l1 + l2 + l3 + fc, rows.stream().mapToLong(dev.vnet.core.nn.ModuleTable.Row::parameters)
                .sum(), "every parameter in one row");
        assertArrayEquals(new int[] {1, 32, 8, 8}, rows.stream().filter(r -> r.name().equals("layer3.0")).findFirst()
                .orElseThrow().outputShape());
        assertTrue(m.describe().contains(String.format(java.util.Locale.ROOT, "trainable parameters: %,d",
                m.parameterCount())));
        Tensor out = m.forward(Tensor.zeros(3, 3, 32, 32));
        assertArrayEquals(new int[] {3, 2}, out.shape());
    }

    @Test
    void symmetriesOfTheSquareAreEightDistinctOnes() {
        Image8 img = new Image8(3, 3, 1);
        for (int i = 0; i < 9; i++) {
            img.data()[i] = (byte) i;
        }
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int k = 0; k < 8; k++) {
            Image8 t = CropTensors.symmetry(img, k);
            seen.add(java.util.Arrays.toString(t.data()));
            assertEquals(4, t.data()[4], "the centre stays");
        }
        assertEquals(8, seen.size());
        // A quarter turn four times is the identity.
        Image8 t = img;
        for (int i = 0; i < 4; i++) {
            t = CropTensors.symmetry(t, 1);
        }
        assertArrayEquals(img.data(), t.data());
    }

    @Test
    void aucByRanksEqualsCountingPairs() {
        float[] s = {0.1f, 0.4f, 0.4f, 0.8f, 0.35f, 0.9f, 0.4f};
        boolean[] l = {false, true, false, true, false, true, true};
        double wins = 0;
        int pairs = 0;
        for (int i = 0; i < s.length; i++) {
            for (int j = 0; j < s.length; j++) {
                if (l[i] && !l[j]) {
                    pairs++;
                    wins += s[i] > s[j] ? 1 : s[i] == s[j] ? 0.5 : 0;
                }
            }
        }
        assertEquals(wins / pairs, BinaryScores.rocAuc(s, l), 1e-12);
        BinaryScores b = BinaryScores.of(s, l, Double.NaN);
        // At 0.5: the blasts at 0.8 and 0.9 are found, those at 0.4 missed; every normal cell is below.
        assertEquals(2, b.truePositives());
        assertEquals(2, b.falseNegatives());
        assertEquals(0, b.falsePositives());
        assertEquals(3, b.trueNegatives());
        assertEquals(5 / 7.0, b.accuracy(), 1e-12);
        assertEquals(0.5, b.sensitivity(), 1e-12);
    }

    @Test
    void learnsAHandfulOfCropsPerfectly(@TempDir Path tmp) throws Exception {
        List<CellCrop> crops = SyntheticCrops.crops(8, 32, 5);
        ClassifierTrainer.Result r = ClassifierTrainer.builder(SyntheticCrops.tiny(32, 40), crops, tmp).quiet(true)
                .build().run();
        assertEquals("training", r.evaluatedOn());
        assertEquals(1.0, r.scores().accuracy(), "every crop it was trained on, called right: " + r.scores());
        for (String f : List.of("config.json", "metrics.csv", "report.json", "report.md", "predictions.csv",
                "mistakes.png", "split.json", "checkpoints/best.safetensors")) {
            assertTrue(Files.isRegularFile(tmp.resolve(f)), f);
        }
        // The checkpoint alone gives the same probabilities.
        float[] again = CellScorer.load(r.bestCheckpoint()).probabilitiesOf(crops);
        for (int i = 0; i < crops.size(); i++) {
            assertEquals(r.predictions().get(i).probability(), again[i], 1e-6);
        }
    }

    @Test
    void aResumedRunEndsWithTheWeightsOfAnUninterruptedOne(@TempDir Path tmp) throws Exception {
        List<CellCrop> crops = SyntheticCrops.crops(12, 32, 9);
        ClassifierConfig c = new ClassifierConfig(32, 4, 2, 1, 0.3, 3, 4, 3e-3, 1e-4, 0.1, 0.25, true, 2, 1);
        ClassifierTrainer.builder(c, crops, tmp.resolve("whole")).quiet(true).build().run();
        ClassifierTrainer.builder(c, crops, tmp.resolve("parts")).quiet(true).stopAfterEpoch(1).build().run();
        ClassifierTrainer.Result r = ClassifierTrainer.builder(c, crops, tmp.resolve("parts")).quiet(true).resume(true)
                .build().run();
        assertEquals(3, r.history().size());
        Map<String, Tensor> a = ClassifierCheckpoint.load(tmp.resolve("whole/checkpoints/last.safetensors")).model()
                .stateDict();
        Map<String, Tensor> b = ClassifierCheckpoint.load(tmp.resolve("parts/checkpoints/last.safetensors")).model()
                .stateDict();
        for (String k : a.keySet()) {
            assertArrayEquals(a.get(k).data(), b.get(k).data(), k);
        }
        assertThrows(RuntimeException.class, () -> ClassifierTrainer.builder(c.withSeed(3), crops, tmp.resolve("parts"))
                .quiet(true).resume(true).build().run(), "another configuration cannot resume the run");
    }
}
