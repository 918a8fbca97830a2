package dev.vnet.cli.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vnet.cli.Cli;
import dev.vnet.core.nn.vnet.VNet;
import dev.vnet.core.nn.vnet.VNetConfig;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The architecture drawing is made from the configuration: written, readable, and different when the model is. */
class ArchitectureDiagramTest {
    @TempDir
    Path tmp;

    @Test
    void stagesAddUpToTheModelAndFollowTheConfiguration() {
        VNetConfig c = VNetConfig.builder().baseWidth(4).downConvs(2, 3, 3, 3).upConvs(3, 3, 2, 1).build();
        List<ArchitectureDiagram.Stage> stages = ArchitectureDiagram.stages(c, 256, 256);
        assertThat(stages).extracting(ArchitectureDiagram.Stage::name).containsExactly("in_tr", "down_tr32",
                "down_tr64", "down_tr128", "down_tr256", "up_tr256", "up_tr128", "up_tr64", "up_tr32", "out_tr");
        assertThat(stages).extracting(ArchitectureDiagram.Stage::convs).containsExactly(1, 2, 3, 3, 3, 3, 3, 2, 1, 1);
        assertThat(stages).extracting(ArchitectureDiagram.Stage::level).containsExactly(0, 1, 2, 3, 4, 3, 2, 1, 0, -1);
        assertThat(stages).extracting(ArchitectureDiagram.Stage::channels)
                .containsExactly(4, 8, 16, 32, 64, 64, 32, 16, 8, 1);
        assertThat(stages).extracting(ArchitectureDiagram.Stage::skipChannels)
                .containsExactly(0, 0, 0, 0, 0, 32, 16, 8, 4, 0);
        assertThat(stages.get(4).height()).isEqualTo(16);
        long sum = stages.stream().mapToLong(ArchitectureDiagram.Stage::parameters).sum();
        assertThat(sum).isEqualTo(new VNet(c, 1L).parameters().values().stream().mapToLong(p -> p.size()).sum());
    }

    @Test
    void monaiStagesSumToMonaisParameterCount() {
        long sum = ArchitectureDiagram.stages(VNetConfig.monai(), 256, 256).stream()
                .mapToLong(ArchitectureDiagram.Stage::parameters).sum();
        assertThat(sum).isEqualTo(9_357_924L);
    }

    @Test
    void rgbInputUsesAProjectionAndPaddedSizesAreShown() {
        VNetConfig rgb = VNetConfig.builder().inChannels(3).baseWidth(4).build();
        List<ArchitectureDiagram.Stage> stages = ArchitectureDiagram.stages(rgb, 250, 333);
        assertThat(stages.get(0).projection()).isTrue();
        assertThat(stages.get(0).height()).isEqualTo(256);
        assertThat(stages.get(0).width()).isEqualTo(336);
        assertThat(ArchitectureDiagram.stages(rgb.toBuilder().inChannels(2).build(), 64, 64).get(0).projection()).isFalse();
    }

    @Test
    void writesAPngOfSensibleSize() throws Exception {
        Path file = tmp.resolve("vnet.png");
        ArchitectureDiagram.write(file, VNetConfig.builder().baseWidth(4).build(), 256, 256);
        assertThat(Files.size(file)).isBetween(10_000L, 300_000L);
        BufferedImage img = ImageIO.read(file.toFile());
        assertThat(img.getWidth()).isEqualTo(ArchitectureDiagram.WIDTH);
        assertThat(img.getHeight()).isEqualTo(ArchitectureDiagram.HEIGHT);
        assertThat(img.getWidth()).isBetween(800, 2400);
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < img.getHeight(); y += 3) {
            for (int x = 0; x < img.getWidth(); x += 3) {
                colours.add(img.getRGB(x, y));
            }
        }
        assertThat(colours.size()).as("a drawing, not a blank canvas").isGreaterThan(50);
    }

    @Test
    void theDrawingChangesWithTheConfiguration() {
        VNetConfig small = VNetConfig.builder().baseWidth(4).build();
        BufferedImage monai = ArchitectureDiagram.draw(small, 256, 256);
        BufferedImage again = ArchitectureDiagram.draw(small, 256, 256);
        BufferedImage paperCounts = ArchitectureDiagram.draw(
                small.toBuilder().downConvs(2, 3, 3, 3).upConvs(3, 3, 2, 1).build(), 256, 256);
        BufferedImage otherSize = ArchitectureDiagram.draw(small, 96, 128);
        assertThat(differingPixels(monai, again)).isZero();
        assertThat(differingPixels(monai, paperCounts)).isGreaterThan(500);
        assertThat(differingPixels(monai, otherSize)).isGreaterThan(500);
    }

    @Test
    void rejectsAnEmptyInput() {
        assertThatThrownBy(() -> ArchitectureDiagram.draw(VNetConfig.monai(), 0, 256))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0×256");
    }

    @Test
    void describeDrawsWithPng() throws Exception {
        Path file = tmp.resolve("describe.png");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Cli.run(new String[] {"describe", "--size", "64", "--base-width", "4", "--layout", "paper", "--png", file.toString()},
                new PrintWriter(out, true), new PrintWriter(err, true));
        assertThat(code).as(err.toString()).isZero();
        assertThat(ImageIO.read(file.toFile()).getWidth()).isEqualTo(ArchitectureDiagram.WIDTH);

        Path nowhere = tmp.resolve("missing").resolve("x.png");
        StringWriter err2 = new StringWriter();
        int bad = Cli.run(new String[] {"describe", "--base-width", "4", "--png", nowhere.toString()}, new PrintWriter(new StringWriter(), true),
                new PrintWriter(err2, true));
        assertThat(bad).isNotZero();
        assertThat(err2.toString().strip()).contains("missing").doesNotContain("Exception").hasLineCount(1);
        assertThat(nowhere).doesNotExist();
    }

    private static int differingPixels(BufferedImage a, BufferedImage b) {
        int n = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                if (a.getRGB(x, y) != b.getRGB(x, y)) {
                    n++;
                }
            }
        }
        return n;
    }
}
