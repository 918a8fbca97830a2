package dev.vnet.train;

import static dev.vnet.core.nn.vnet.ParityAssertions.assertClose;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vnet.core.nn.vnet.TestModels;
import dev.vnet.core.nn.vnet.VNet;
import dev.vnet.core.nn.vnet.VNetConfig;
import dev.vnet.core.tensor.GradMode;
import dev.vnet.core.tensor.Tensor;
import dev.vnet.io.checkpoint.Safetensors;
import dev.vnet.io.checkpoint.SafetensorsFile;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Checkpoints go both ways between this library and PyTorch, checked on fixtures that
 * {@code tools/fixtures/torch_roundtrip.py} wrote with PyTorch 1.13 and the fixture model of
 * {@code tools/fixtures/torch_vnet.py} (MONAI's layout and names):
 * <ul>
 *   <li>a checkpoint of every preset written by {@link Checkpoint#save} was loaded into the PyTorch model with
 *   {@code load_state_dict(strict=True)}; the fixture holds PyTorch's evaluation-mode logits on an input, which this
 *   engine's forward pass of the same model must give;</li>
 *   <li>a checkpoint written by PyTorch in the safetensors layout (its state dict, {@code num_batches_tracked} as
 *   int64, the configuration in the metadata) is read by {@link Checkpoint#load} and gives PyTorch's logits.</li>
 * </ul>
 *
 * <p>Regenerating: run this test with {@code -Dvnet.torch.fixtures=DIR}, which writes the checkpoints the script
 * reads into DIR, then {@code /usr/bin/python3 tools/fixtures/torch_roundtrip.py DIR
 * vnet-train/src/test/resources/torch}.
 */
class TorchRoundTripTest {
    /** The seed of the weights of the models written for PyTorch. */
    static final long SEED = 17;
    static final List<String> PRESETS = List.of("paper", "recommended", "demo");

    /** The configuration of the checkpoint PyTorch writes: the demo preset at base width 2, to keep the file small. */
    static TrainConfig torchWrittenConfig() {
        TrainConfig demo = TrainConfig.demo();
        return demo.toBuilder().model(demo.model().toBuilder().baseWidth(2).build()).threads(1).build();
    }

    @BeforeAll
    static void writeInputsOfTheScriptWhenAsked() throws IOException {
        String dir = System.getProperty("vnet.torch.fixtures");
        if (dir == null) {
            return;
        }
        Path out = Files.createDirectories(Path.of(dir));
        for (String preset : PRESETS) {
            TrainConfig config = TrainConfig.preset(preset).toBuilder().threads(1).build();
            Checkpoint.save(out.resolve(preset + ".safetensors"), TestModels.trainedLooking(config.model(), SEED),
                    config, 1, 1, Double.NaN);
        }
        Files.writeString(out.resolve("torch_written.config.json"), torchWrittenConfig().toJson());
    }

    @Test
    void aCheckpointOfEveryPresetLoadsIntoPyTorchWithTheSameOutputs() throws Exception {
        SafetensorsFile ref = Safetensors.read(resource("vnet_to_torch.safetensors"));
        for (String preset : PRESETS) {
            VNetConfig config = TrainConfig.preset(preset).model();
            VNet model = TestModels.trainedLooking(config, SEED);
            // PyTorch's strict load took exactly this state dict's keys
            assertThat(ref.metadata()).containsEntry(preset + ".keys", Integer.toString(model.stateDict().size()))
                    .containsEntry(preset + ".strict", "True");
            assertThat(ref.metadata().get(preset + ".config")).isEqualTo(config.toString());
            compare(preset, model, ref.tensors().get(preset + "/input"), ref.tensors().get(preset + "/logits"));
        }
    }

    @Test
    void aCheckpointWrittenByPyTorchLoadsHereWithTheSameOutputs() throws Exception {
        Checkpoint c = Checkpoint.load(resource("torch_written.safetensors"));
        assertThat(c.config()).isEqualTo(torchWrittenConfig());
        assertThat(c.model().stateDict()).containsKey("in_tr.residual.weight");
        SafetensorsFile ref = Safetensors.read(resource("torch_written_outputs.safetensors"));
        compare("PyTorch's checkpoint", c.model(), ref.tensors().get("input"), ref.tensors().get("logits"));
        // the file is PyTorch's own layout: its batch counters are int64, and its weights are not this library's init
        assertThat(Safetensors.read(resource("torch_written.safetensors")).metadata())
                .containsEntry("written_by", "torch 1.13");
        VNet fresh = new VNet(c.config().model(), c.config().seed());
        assertThat(fresh.stateDict().get("in_tr.conv_block.conv.weight").data())
                .isNotEqualTo(c.model().stateDict().get("in_tr.conv_block.conv.weight").data());
    }

    private static void compare(String what, VNet model, Tensor input, Tensor want) {
        assertThat(input).as(what + " input").isNotNull();
        model.eval();
        try (var ignored = GradMode.noGrad()) {
            Tensor got = model.forward(Tensor.wrap(input.data().clone(), input.shape()));
            assertThat(got.shape()).as(what).isEqualTo(want.shape());
            assertClose(what + " logits", got.data(), want.data());
        }
    }

    private static Path resource(String name) throws URISyntaxException {
        var url = TorchRoundTripTest.class.getResource("/torch/" + name);
        assertThat(url).as("test resource /torch/" + name).isNotNull();
        return Path.of(url.toURI());
    }
}
