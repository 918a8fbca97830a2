package dev.vnet.cli.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vnet.io.data.Sample;
import dev.vnet.train.TinyData;
import dev.vnet.train.TrainResult;
import dev.vnet.train.Trainer;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line's outputs of a run on tiny synthetic smears: the plots and a figure per validation image. */
class RunOutputsTest {
    @TempDir
    Path tmp;

    private static final List<Sample> DATA = TinyData.samples(8, 96, 64, 5);

    @Test
    void aRunDrawsEveryPlotAndAFigurePerValidationImage() throws IOException {
        Path run = tmp.resolve("run");
        TrainResult r = RunOutputs.addTo(Trainer.builder(TinyData.config(), DATA, run), true).quiet(true).build().run();
        assertThat(r.final_()).isNotNull();

        for (String plot : new String[] {"loss.png", "dice_iou.png", "accuracy.png", "cells.png"}) {
            BufferedImage img = ImageIO.read(run.resolve("plots").resolve(plot).toFile());
            assertThat(img).as(plot).isNotNull();
            assertThat(img.getWidth()).isGreaterThan(100);
        }

        int validation = DATA.size() - (int) Math.round(DATA.size() * 0.75);
        try (Stream<Path> figs = Files.list(run.resolve("figures"))) {
            List<Path> pngs = figs.collect(Collectors.toList());
            assertThat(pngs).hasSize(validation);
            BufferedImage fig = ImageIO.read(pngs.get(0).toFile());
            assertThat(fig.getWidth()).isGreaterThan(4 * 48);
        }
    }
}
