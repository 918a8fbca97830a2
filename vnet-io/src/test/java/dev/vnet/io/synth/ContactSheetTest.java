package dev.vnet.io.synth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vnet.ops.Image8;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContactSheetTest {
    @Test
    void tilesImagesAndCirclesCentres(@TempDir Path dir) throws IOException {
        Image8 white = new Image8(200, 100, 3);
        java.util.Arrays.fill(white.data(), (byte) 255);
        ContactSheet sheet = new ContactSheet(2, 100)
                .add(white, "a", List.of(new int[] {100, 50}), 40)
                .add(white, null, List.of(), 0)
                .add(new Image8(100, 100, 1), "gray", List.of(), 0);
        BufferedImage img = sheet.render();
        // Two columns of 100 px tiles; rows of 50 and 100 px, each with a caption strip.
        assertThat(img.getWidth()).isEqualTo(6 + 2 * (100 + 6));
        assertThat(img.getHeight()).isGreaterThan(150);
        // The circle of radius 40 image pixels (20 tile pixels) around the tile centre (6 + 50, 6 + 25) is green.
        int rgb = img.getRGB(6 + 50 + 20, 6 + 25);
        assertThat((rgb >> 8) & 0xFF).isGreaterThan(150);
        assertThat((rgb >> 16) & 0xFF).isLessThan(120);
        // The tile's centre is not.
        assertThat(img.getRGB(6 + 50, 6 + 25) & 0xFFFFFF).isEqualTo(0xFFFFFF);
        // The gray tile in the second row is black.
        assertThat(img.getRGB(6 + 50, 6 + 50 + 22 + 6 + 50) & 0xFFFFFF).isEqualTo(0);
        Path png = dir.resolve("sheet.png");
        sheet.write(png);
        assertThat(ImageIO.read(png.toFile()).getWidth()).isEqualTo(img.getWidth());
    }

    @Test
    void emptySheetIsRefused() {
        assertThatThrownBy(() -> new ContactSheet(2, 100).render()).hasMessageContaining("no tiles");
    }
}
