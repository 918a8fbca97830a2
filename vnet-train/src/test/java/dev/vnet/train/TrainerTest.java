package dev.vnet.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.vnet.core.loss.DiceBceLoss;
import dev.vnet.core.loss.DiceLoss;
import dev.vnet.core.loss.Loss;
import dev.vnet.core.nn.vnet.VNet;
import dev.vnet.core.tensor.Tensor;
import dev.vnet.io.checkpoint.Safetensors;
import dev.vnet.io.checkpoint.SafetensorsFile;
import dev.vnet.io.data.Sample;
import dev.vnet.ops.Image8;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end on tiny synthetic smears: every output of a run (the command line's plots and figures are checked in
 * vnet-cli's RunOutputsTest), resume, refusal to clobber a run.
 */
class TrainerTest {
    @TempDir
    Path tmp;

    private static final List<Sample> DATA = TinyData.samples(8, 96, 64, 5);

    @Test
    void aRunWritesEveryOutputWellFormed() throws IOException {
        TrainConfig config = TinyData.config();
        Path run = tmp.resolve("run");
        TrainResult r = Trainer.builder(config, DATA, run).quiet(true).build().run();
        assertThat(r.history()).hasSize(2);
        assertThat(r.final_()).isNotNull();

        assertThat(TrainConfig.fromJson(Files.readString(run.resolve("config.json")))).isEqualTo(config);

        List<String> csv = Files.readAllLines(run.resolve("metrics.csv"));
        assertThat(csv).hasSize(3);
        assertThat(csv.get(0)).startsWith("epoch,step,").contains("val_dice", "val_background_accuracy", "train_cell_f1");
        int columns = csv.get(0).split(",", -1).length;
        for (String row : csv.subList(1, 3)) {
            assertThat(row.split(",", -1)).hasSize(columns);
        }

        Checkpoint best = Checkpoint.load(run.resolve("checkpoints/best.safetensors"));
        Checkpoint last = Checkpoint.load(run.resolve("checkpoints/last.safetensors"));
        assertThat(last.epoch()).isEqualTo(2);
        assertThat(best.epoch()).isEqualTo(r.bestEpoch());
        assertThat(best.config()).isEqualTo(config);
        assertThat(run.resolve("checkpoints/last.state.safetensors")).isRegularFile();

        JsonObject report = JsonParser.parseString(Files.readString(run.resolve("report.json"))).getAsJsonObject();
        for (String k : new String[] {"dice", "iou", "pixel_accuracy", "background_accuracy", "precision", "recall",
            "cell_sensitivity", "cell_precision", "cell_f1", "image_sensitivity", "image_specificity"}) {
            assertThat(report.has(k)).as(k).isTrue();
            double v = report.get(k).getAsDouble();
            assertThat(v).as(k).isBetween(0.0, 1.0);
        }
        assertThat(report.get("dice").getAsDouble()).isEqualTo(r.final_().dice());
        assertThat(Files.readString(run.resolve("report.md"))).contains("predicting no blast at all",
                "Where these numbers come from", "chose the best epoch", "vnet eval", "vnet cv");
        assertThat(report.get("held_out").getAsBoolean()).isFalse();
        assertThat(report.get("measured_on").getAsString()).contains("validation images", "split.json");
        JsonObject split = JsonParser.parseString(Files.readString(run.resolve("split.json"))).getAsJsonObject();
        List<String> trained = new ArrayList<>();
        split.getAsJsonArray("train").forEach(e -> trained.add(e.getAsString()));
        List<String> validated = new ArrayList<>();
        split.getAsJsonArray("validation").forEach(e -> validated.add(e.getAsString()));
        assertThat(trained).hasSize(report.get("train_images").getAsInt()).doesNotContainAnyElementsOf(validated);
        assertThat(validated).hasSize(report.get("validation_images").getAsInt());
        assertThat(DATA.stream().map(Sample::name).toList()).containsExactlyInAnyOrderElementsOf(
                Stream.concat(trained.stream(), validated.stream()).toList());

        // The segmenter works at the original resolution from the saved checkpoint.
        Segmenter seg = Segmenter.load(run.resolve("checkpoints/best.safetensors"));
        Image8 original = DATA.get(0).image();
        Segmenter.Result s = seg.segment(original);
        assertThat(s.mask().width()).isEqualTo(96);
        assertThat(s.mask().height()).isEqualTo(64);
        Path outDir = tmp.resolve("seg");
        Path file = tmp.resolve("Im001_1.png");
        dev.vnet.io.ImageFiles.write(original, file);
        Segmenter.Result fromFile = seg.segmentFile(file, outDir);
        assertThat(fromFile.count()).isEqualTo(s.count());
        assertThat(outDir.resolve("Im001_1_mask.png")).isRegularFile();
        assertThat(outDir.resolve("Im001_1_overlay.png")).isRegularFile();
        assertThat(dev.vnet.io.XycParser.read(outDir.resolve("Im001_1.xyc"))).hasSize(s.count());
    }

    @Test
    void listenersHearTheRunInOrderAndTheBatchSourceAndLossArePluggable() throws IOException {
        TrainConfig config = TinyData.config();
        List<String> events = new ArrayList<>();
        int[] lossCalls = {0};
        int[] opened = {0};
        Loss standardLoss = new DiceBceLoss(new DiceLoss(), config.diceWeight(), config.bceWeight());
        Loss counting = new Loss() {
            @Override
            public Tensor forward(Tensor logits, Tensor target) {
                lossCalls[0]++;
                return standardLoss.forward(logits, target);
            }

            @Override
            public String name() {
                return "counted " + standardLoss.name();
            }
        };
        BatchSource.Factory counted = (train, c, cache) -> {
            opened[0]++;
            return BatchSource.wholeImages().open(train, c, cache);
        };
        TrainingListener listener = new TrainingListener() {
            @Override
            public void runStarted(RunStart s) {
                events.add("start " + s.completedEpochs() + " " + s.trainImages() + "/" + s.validationImages());
            }

            @Override
            public void epochStarted(int epoch, int images) {
                events.add("epoch " + epoch + " " + images);
            }

            @Override
            public void stepEnded(int epoch, long step, double loss, int images) {
                events.add("step " + step + " " + images);
            }

            @Override
            public void trainingPassEnded(int epoch) {
                events.add("pass " + epoch);
            }

            @Override
            public void epochEnded(EpochRecord r, List<EpochRecord> history, boolean best) {
                events.add("end " + r.epoch() + " " + history.size());
            }

            @Override
            public void runEnded(FinalEvaluation e) {
                events.add("final " + e.bestEpoch() + " " + e.predictions().size());
            }

            @Override
            public void close() {
                events.add("close");
            }
        };
        TrainResult r = Trainer.builder(config, DATA, tmp.resolve("plugged")).quiet(true).loss(counting)
                .batches(counted).listener(listener).build().run();
        // 8 images: 6 to train on in batches of 2 (3 steps an epoch), 2 to validate on (one batch).
        assertThat(events).containsExactly("start 0 6/2", "epoch 1 6", "step 1 2", "step 2 2", "step 3 2", "pass 1",
                "end 1 1", "epoch 2 6", "step 4 2", "step 5 2", "step 6 2", "pass 2", "end 2 2",
                "final " + r.bestEpoch() + " 2", "close");
        assertThat(opened[0]).isEqualTo(1);
        assertThat(lossCalls[0]).as("3 steps and 1 validation batch per epoch, then the final evaluation")
                .isEqualTo(2 * (3 + 1) + 1);

        TrainResult standard = Trainer.builder(config, DATA, tmp.resolve("standard")).quiet(true).build().run();
        assertThat(r.history()).isEqualTo(standard.history().stream()
                .map(e -> new EpochRecord(e.epoch(), e.step(), e.learningRate(), r.history().get(e.epoch() - 1).seconds(),
                        e.train(), e.validation())).toList());
        assertThat(r.final_()).isEqualTo(standard.final_());
    }

    @Test
    void resumedRunEndsWithTheSameNumbersAsAnUninterruptedOne() throws IOException {
        TrainConfig config = TinyData.config().toBuilder().epochs(3).build();
        Path straight = tmp.resolve("straight");
        Trainer.builder(config, DATA, straight).quiet(true).build().run();

        Path interrupted = tmp.resolve("interrupted");
        TrainResult first = Trainer.builder(config, DATA, interrupted).quiet(true).stopAfterEpoch(1).build().run();
        assertThat(first.final_()).isNull();
        assertThat(interrupted.resolve("report.json")).doesNotExist();
        Trainer.builder(config, DATA, interrupted).quiet(true).resume(true).build().run();

        assertThat(withoutSeconds(interrupted.resolve("metrics.csv")))
                .isEqualTo(withoutSeconds(straight.resolve("metrics.csv")));
        assertThat(withoutSecondsJson(interrupted.resolve("report.json")))
                .isEqualTo(withoutSecondsJson(straight.resolve("report.json")));
        var a = Checkpoint.load(straight.resolve("checkpoints/last.safetensors")).model().stateDict();
        var b = Checkpoint.load(interrupted.resolve("checkpoints/last.safetensors")).model().stateDict();
        for (String k : a.keySet()) {
            assertThat(b.get(k).data()).as(k).isEqualTo(a.get(k).data());
        }
    }

    @Test
    void refusesANonEmptyRunFolderAndAResumeWithoutARun() throws IOException {
        Path run = tmp.resolve("busy");
        Files.createDirectories(run);
        Files.writeString(run.resolve("notes.txt"), "mine");
        assertThatThrownBy(() -> Trainer.builder(TinyData.config(), DATA, run).quiet(true).build().run())
                .isInstanceOf(TrainingException.class).hasMessageContaining("not empty");
        assertThat(Files.readString(run.resolve("notes.txt"))).isEqualTo("mine");
        assertThatThrownBy(() -> Trainer.builder(TinyData.config(), DATA, tmp.resolve("none")).quiet(true).resume(true)
                .build().run()).isInstanceOf(TrainingException.class).hasMessageContaining("cannot resume");
    }

    @Test
    void aNonFiniteLossStopsWithAMessageSayingWhereAndKeepsTheLastGoodCheckpoint() throws IOException {
        // A learning rate of 1e30 makes the weights explode in the second epoch at the latest.
        TrainConfig config = TinyData.config().toBuilder().learningRate(1e38).epochs(4).build();
        Path run = tmp.resolve("nan");
        assertThatThrownBy(() -> Trainer.builder(config, DATA, run).quiet(true).build().run())
                .isInstanceOf(TrainingException.class).hasMessageContaining("non-finite loss at epoch")
                .hasMessageContaining("step")
                .satisfies(e -> {
                    Path last = run.resolve("checkpoints/last.safetensors");
                    if (e.getMessage().contains("no epoch was completed")) {
                        assertThat(last).doesNotExist();
                    } else {
                        assertThat(e.getMessage()).contains("last good checkpoint");
                        assertThat(Checkpoint.load(last).model().stateDict().values())
                                .allSatisfy(t -> assertThat(t.data()).doesNotContain(Float.NaN));
                    }
                });
    }

    @Test
    void weightsBrokenByTheLastStepOfAnEpochStopTheRunBeforeThatEpochIsSaved() throws IOException {
        // One step per epoch (a batch of all 6 training images), so the step that breaks the weights is the epoch's
        // last: no training loss sees it, only the check before saving.
        TrainConfig config = TinyData.config().toBuilder().batchSize(DATA.size()).epochs(3).build();
        Path run = tmp.resolve("broken");
        Trainer.builder(config, DATA, run).quiet(true).stopAfterEpoch(1).build().run();
        Path last = run.resolve("checkpoints/last.safetensors");
        byte[] epoch1 = Files.readAllBytes(last);
        // A NaN in Adam's first moment (a damaged state file) turns that parameter into NaN at the next step.
        Path statePath = run.resolve("checkpoints/last.state.safetensors");
        SafetensorsFile state = Safetensors.read(statePath);
        Map<String, Tensor> tensors = new LinkedHashMap<>(state.tensors());
        Arrays.fill(tensors.get("out_tr.conv2.bias.exp_avg").data(), Float.NaN);
        Safetensors.write(statePath, tensors, state.metadata());

        assertThatThrownBy(() -> Trainer.builder(config, DATA, run).quiet(true).resume(true).build().run())
                .isInstanceOf(TrainingException.class).hasMessageContaining("non-finite weights at epoch 2")
                .hasMessageContaining("'out_tr.conv2.bias'").hasMessageContaining("last.safetensors (epoch 1)");
        assertThat(Files.readAllBytes(last)).isEqualTo(epoch1);
        Checkpoint kept = Checkpoint.load(last);
        assertThat(kept.epoch()).isEqualTo(1);
        assertThat(kept.model().stateDict().values()).allSatisfy(t -> assertThat(t.data()).doesNotContain(Float.NaN));
        assertThat(Files.readAllLines(run.resolve("metrics.csv"))).hasSize(2);
    }

    @Test
    void anInterruptSavesALoadableCheckpointLabelledWithTheEpochItsWeightsAreFrom() throws IOException {
        TrainConfig config = TinyData.config();
        VNet model = new VNet(config.model(), config.seed());
        Path file = tmp.resolve("interrupted.safetensors");
        InterruptCheckpoint.Weights weights = Trainer.interruptWeights(model, config);
        InterruptCheckpoint hook = new InterruptCheckpoint(weights, file, new Object(), 0, 0);
        hook.run();
        assertThat(Checkpoint.load(file).epoch()).as("before the first step").isZero();

        hook.stepDone(1, 3);
        hook.epochDone(1);
        hook.stepDone(2, 4);
        Arrays.fill(model.parameters().get("out_tr.conv2.bias").data(), 0.25f);
        hook.run();
        Checkpoint c = Checkpoint.load(file);
        assertThat(c.epoch()).as("partway through epoch 2").isEqualTo(2);
        assertThat(c.step()).isEqualTo(4);
        assertThat(c.model().stateDict().get("out_tr.conv2.bias").data()).containsOnly(0.25f);
        assertThat(Segmenter.load(file).segment(DATA.get(0).image()).mask().width()).isEqualTo(96);

        hook.epochDone(2);
        hook.run();
        assertThat(Checkpoint.load(file).epoch()).as("between epochs").isEqualTo(2);

        InterruptCheckpoint resumed = new InterruptCheckpoint(weights, file, new Object(), 5, 40);
        resumed.run();
        assertThat(Checkpoint.load(file).epoch()).as("resumed after epoch 5, no step yet").isEqualTo(5);

        Files.delete(file);
        resumed.finish();
        resumed.run();
        assertThat(file).doesNotExist();
    }

    private static String withoutSeconds(Path csv) throws IOException {
        // Column 4 is wall time.
        return Files.readAllLines(csv).stream().map(l -> {
            String[] c = l.split(",", -1);
            c[3] = "";
            return String.join(",", c);
        }).collect(Collectors.joining("\n"));
    }

    private static String withoutSecondsJson(Path json) throws IOException {
        return Pattern.compile("\"seconds\": [^,\\n]+").matcher(Files.readString(json)).replaceAll("");
    }
}
