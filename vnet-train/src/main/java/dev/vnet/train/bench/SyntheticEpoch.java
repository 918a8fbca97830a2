package dev.vnet.train.bench;

import dev.vnet.io.AtomicFolder;
import dev.vnet.io.data.Sample;
import dev.vnet.io.synth.Camera;
import dev.vnet.io.synth.SmearConfig;
import dev.vnet.io.synth.SmearGenerator;
import dev.vnet.io.synth.SyntheticSmear;
import dev.vnet.train.EpochTiming;
import dev.vnet.train.TrainConfig;
import dev.vnet.train.Trainer;
import dev.vnet.train.TrainingListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One epoch of a training configuration as {@code vnet train} runs it, on realistic synthetic smears of a camera made
 * in memory, in a temporary run folder deleted afterwards: the epoch's wall time and where it went
 * ({@link EpochTiming}), so that a benchmark shows whether an epoch costs its steps and its validation.
 */
public final class SyntheticEpoch {
    private final TrainConfig config;
    private final Camera camera;
    private final int photographs;

    /**
     * An epoch of {@code config} on {@code photographs} synthetic photographs of {@code camera} (its validation
     * fraction of them validate).
     *
     * @param config      the training configuration; its epochs are replaced by one
     * @param camera      the camera the smears imitate
     * @param photographs the number of photographs, at least 2
     */
    public SyntheticEpoch(TrainConfig config, Camera camera, int photographs) {
        if (photographs < 2) {
            throw new IllegalArgumentException("an epoch needs at least 2 photographs (one to validate), got "
                    + photographs);
        }
        this.config = config.toBuilder().epochs(1).build();
        this.camera = camera;
        this.photographs = photographs;
    }

    /**
     * {@return an epoch of the {@code recommended} preset on photographs of ALL-IDB1's 2592×1944 camera}
     *
     * @param photographs the number of photographs, at least 2
     * @param threads     engine threads
     */
    public static SyntheticEpoch recommended(int photographs, int threads) {
        return new SyntheticEpoch(TrainConfig.recommended().toBuilder().threads(threads).build(), Camera.CAMERA_2592,
                photographs);
    }

    /**
     * The epoch's numbers.
     *
     * @param photographs   photographs in the run
     * @param generateMs    making the synthetic photographs, before the run
     * @param runMs         the whole run: reading the photographs, the epoch, the run's end (final evaluation,
     *                      report)
     * @param epoch         the epoch's own time and its split
     */
    public record Result(int photographs, double generateMs, double runMs, EpochTiming epoch) {}

    /**
     * Makes the photographs and trains one epoch.
     *
     * @return the times
     * @throws IOException if the temporary run folder cannot be written
     */
    public Result run() throws IOException {
        long t0 = System.nanoTime();
        SmearGenerator g = new SmearGenerator(SmearConfig.realistic(camera).withImageCount(photographs).withSeed(17));
        List<Sample> samples = new ArrayList<>(photographs);
        for (int i = 0; i < photographs; i++) {
            SyntheticSmear s = g.render(i);
            samples.add(Sample.ofImage(s.name(), s.image(), s.blastCentres(), s.all()));
        }
        long t1 = System.nanoTime();
        Path dir = Files.createTempDirectory("vnet-bench-epoch");
        EpochTiming[] timing = new EpochTiming[1];
        try {
            Trainer.builder(config, samples, dir.resolve("run")).quiet(true).listener(new TrainingListener() {
                @Override
                public void epochTimed(EpochTiming t) {
                    timing[0] = t;
                }
            }).build().run();
        } finally {
            AtomicFolder.deleteTree(dir);
        }
        long t2 = System.nanoTime();
        if (timing[0] == null) {
            throw new IllegalStateException("the trainer reported no epoch time");
        }
        return new Result(photographs, (t1 - t0) / 1e6, (t2 - t1) / 1e6, timing[0]);
    }
}
