package dev.vnet.onnx;

import static dev.vnet.core.nn.vnet.ParityAssertions.assertClose;
import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.vnet.core.nn.vnet.TestModels;
import dev.vnet.core.nn.vnet.VNet;
import dev.vnet.core.nn.vnet.VNetConfig;
import dev.vnet.core.ops.Activations;
import dev.vnet.core.tensor.GradMode;
import dev.vnet.core.tensor.Rng;
import dev.vnet.core.tensor.Tensor;
import dev.vnet.onnx.proto.Onnx.ModelProto;
import dev.vnet.onnx.proto.Onnx.NodeProto;
import dev.vnet.train.Checkpoint;
import dev.vnet.train.TrainConfig;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The exported file, run by ONNX Runtime, gives this engine's evaluation-mode forward pass. */
class OnnxExportTest {
    private static OrtEnvironment env;

    @BeforeAll
    static void environment() {
        env = OrtEnvironment.getEnvironment();
    }

    @AfterAll
    static void close() {
        env.close();
    }

    /** Every preset's V-Net, at a size that is a multiple of 16 and one that is not, in batches of one and two. */
    @ParameterizedTest
    @ValueSource(strings = {"paper", "recommended", "demo"})
    void onnxRuntimeGivesThisEnginesForwardForEveryPreset(String preset) throws OrtException {
        VNetConfig config = TrainConfig.preset(preset).model();
        VNet model = TestModels.trainedLooking(config, 3);
        try (OrtSession session = session(OnnxExport.toBytes(model, Map.of()))) {
            for (int[] shape : List.of(new int[] {1, config.inChannels(), 48, 64},
                    new int[] {2, config.inChannels(), 37, 53})) {
                compare(preset, model, session, shape);
            }
        }
    }

    /** The activations and input transitions no preset uses: PReLU and ELU, a channel repeat of 2 and a projection. */
    @Test
    void onnxRuntimeGivesThisEnginesForwardWithPreluEluAndEveryInputTransition() throws OrtException {
        for (VNetConfig config : List.of(
                VNetConfig.builder().inChannels(2).baseWidth(4).activation(VNetConfig.Activation.PRELU).build(),
                VNetConfig.builder().inChannels(3).outChannels(2).baseWidth(4).activation(VNetConfig.Activation.ELU)
                        .downConvs(2, 3, 3, 3).upConvs(3, 3, 2, 1).dropout(0.2f).build())) {
            VNet model = TestModels.trainedLooking(config, 5);
            try (OrtSession session = session(OnnxExport.toBytes(model, Map.of()))) {
                compare(config.toString(), model, session, new int[] {2, config.inChannels(), 33, 20});
            }
        }
    }

    @Test
    void theFileHasNamedDynamicInputsAndOutputsOpset17AndBatchNormInInferenceForm() throws OrtException, Exception {
        VNetConfig config = TrainConfig.recommended().model();
        byte[] bytes = OnnxExport.toBytes(TestModels.trainedLooking(config, 1), Map.of("note", "x"));
        ModelProto m = ModelProto.parseFrom(bytes);
        assertThat(m.getOpsetImport(0).getVersion()).isEqualTo(17);
        assertThat(m.getIrVersion()).isEqualTo(8);
        List<NodeProto> bns = m.getGraph().getNodeList().stream()
                .filter(n -> n.getOpType().equals("BatchNormalization")).toList();
        assertThat(bns).isNotEmpty().allSatisfy(n -> {
            assertThat(n.getInputCount()).isEqualTo(5);
            assertThat(n.getOutputCount()).isEqualTo(1);
            assertThat(n.getAttributeList()).noneMatch(a -> a.getName().equals("training_mode"));
        });
        Set<String> ops = m.getGraph().getNodeList().stream().map(NodeProto::getOpType).collect(Collectors.toSet());
        assertThat(ops).doesNotContain("Dropout");
        // the RGB input's 1×1 projection to 16 channels is in the graph under its state-dict name
        assertThat(m.getGraph().getInitializerList()).anyMatch(t -> t.getName().equals("in_tr.residual.weight")
                && t.getDimsList().equals(List.of(16L, 3L, 1L, 1L)));
        try (OrtSession session = session(bytes)) {
            assertThat(session.getInputNames()).containsExactly(OnnxExport.INPUT);
            assertThat(session.getOutputNames()).containsExactly(OnnxExport.LOGITS, OnnxExport.PROBABILITIES);
            NodeInfo in = session.getInputInfo().get(OnnxExport.INPUT);
            assertThat(((TensorInfo) in.getInfo()).getShape()).containsExactly(-1, 3, -1, -1);
            assertThat(session.getMetadata().getCustomMetadata()).containsEntry("note", "x")
                    .containsEntry(OnnxExport.MODEL_KEY, config.toString());
        }
    }

    @Test
    void aCheckpointIsWrittenWithItsConfigurationInTheMetadata(@TempDir Path dir) throws Exception {
        TrainConfig config = TrainConfig.demo();
        VNet model = TestModels.trainedLooking(config.model(), 9);
        Path ckpt = dir.resolve("best.safetensors");
        Checkpoint.save(ckpt, model, config, 4, 100, 0.5);
        Path onnx = dir.resolve("best.onnx");
        OnnxExport.write(ckpt, onnx);
        try (OrtSession session = session(Files.readAllBytes(onnx))) {
            Map<String, String> meta = session.getMetadata().getCustomMetadata();
            assertThat(TrainConfig.fromJson(meta.get(OnnxExport.CONFIG_KEY))).isEqualTo(config);
            assertThat(meta).containsEntry("vnet.preset", "demo").containsEntry("vnet.epoch", "4");
            compare("checkpoint", Checkpoint.load(ckpt).model(), session, new int[] {1, 3, 40, 40});
        }
    }

    private static OrtSession session(byte[] model) throws OrtException {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            return env.createSession(model, options);
        }
    }

    private static void compare(String what, VNet model, OrtSession session, int[] shape) throws OrtException {
        Rng rng = new Rng(Arrays.hashCode(shape));
        int n = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        float[] image = new float[n];
        for (int i = 0; i < n; i++) {
            image[i] = (float) rng.nextDouble();
        }
        float[] want;
        try (var ignored = GradMode.noGrad()) {
            want = model.forward(Tensor.wrap(image.clone(), shape)).data();
        }
        long[] dims = Arrays.stream(shape).asLongStream().toArray();
        try (OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(image), dims);
             OrtSession.Result result = session.run(Map.of(OnnxExport.INPUT, input))) {
            OnnxTensor logits = (OnnxTensor) result.get(OnnxExport.LOGITS).orElseThrow();
            OnnxTensor probabilities = (OnnxTensor) result.get(OnnxExport.PROBABILITIES).orElseThrow();
            long[] outShape = {shape[0], model.config().outChannels(), shape[2], shape[3]};
            assertThat(logits.getInfo().getShape()).as(what).containsExactly(outShape);
            String at = what + " " + Arrays.toString(shape);
            assertClose(at + " logits", toArray(logits), want);
            assertClose(at + " probabilities", toArray(probabilities), Activations.sigmoid(want));
        }
    }

    private static float[] toArray(OnnxTensor t) {
        FloatBuffer b = t.getFloatBuffer();
        float[] out = new float[b.remaining()];
        b.get(out);
        return out;
    }
}
