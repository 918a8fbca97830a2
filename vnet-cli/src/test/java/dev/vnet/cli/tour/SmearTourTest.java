package dev.vnet.cli.tour;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vnet.io.ImageFiles;
import dev.vnet.ops.Image8;
import dev.vnet.ops.Point;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tour on a photograph of the user's (docs/tour's run on the shipped one is TourDocTest, in examples). */
class SmearTourTest {
    @TempDir
    Path tmp;

    /** A 96×72 colour picture: light background, one dark disc of radius 12 at (30, 40). */
    private static Image8 smear() {
        Image8 img = new Image8(96, 72, 3);
        for (int y = 0; y < 72; y++) {
            for (int x = 0; x < 96; x++) {
                boolean cell = (x - 30) * (x - 30) + (y - 40) * (y - 40) <= 144;
                img.set(x, y, 0, cell ? 90 : 230);
                img.set(x, y, 1, cell ? 60 : 220);
                img.set(x, y, 2, cell ? 150 : 225);
            }
        }
        return img;
    }

    @Test
    void findsTheCentresInAllIdbLayoutTrainsAndWritesEveryPictureItNames() throws IOException {
        Files.createDirectories(tmp.resolve("im"));
        Files.createDirectories(tmp.resolve("xyc"));
        Path image = tmp.resolve("im/a.png");
        ImageFiles.write(smear(), image);
        Files.writeString(tmp.resolve("xyc/a.xyc"), "30\t40\n");
        SmearTour.Photo photo = SmearTour.photo(image, null);
        assertThat(photo.centres()).containsExactly(new Point(30, 40));

        Path out = Files.createDirectories(tmp.resolve("out"));
        StringBuilder printed = new StringBuilder();
        SmearTour.Report r = SmearTour.run(photo, new SmearTour.Settings(4, 1, 1, 3e-3, 12, 1), out,
                line -> printed.append(line).append('\n'));

        assertThat(r.trainingLosses()).hasSize(1);
        assertThat(r.loss()).as("Adam's step goes downhill").isLessThan(r.trainingLosses().get(0));
        assertThat(Files.readAllLines(out.resolve("tour.txt"))).isEqualTo(r.lines());
        assertThat(printed.toString()).isEqualTo(String.join("\n", r.lines()) + "\n")
                .contains("a.png, 96×72 pixels, 3 channels; 1 marked cell centre")
                .contains("1 Adam step (")
                .contains("in_tr      [1,4,256,256]")
                .contains("down_tr256 [1,64,16,16]")
                .contains("d loss / d in_tr.conv_block.conv.weight       [4,1,5,5]");
        assertThat(r.pictures()).contains("photo.png", "prep-5-clahe.png", "stage-10-out_tr.png", "saliency.png",
                "conv1-gradients.png");
        for (String name : r.pictures()) {
            assertThat(out.resolve(name)).as(name).isRegularFile();
            assertThat(printed.toString()).as("the narration names %s", name).contains(name);
        }
        assertThat(ImageFiles.read(out.resolve("stage-1-in_tr.png")).width()).isEqualTo(4 * SmearTour.TILE
                + 3 * TourPictures.GAP);
    }

    @Test
    void aPhotographWithoutCentresHasAnEmptyMaskAndCentresNextToItAreFound() throws IOException {
        Path image = tmp.resolve("b.png");
        ImageFiles.write(smear(), image);
        assertThat(SmearTour.photo(image, null).centres()).isEmpty();
        Files.writeString(tmp.resolve("b.xyc"), "31 41\n");
        assertThat(SmearTour.photo(image, null).centres()).containsExactly(new Point(31, 41));
        Path other = tmp.resolve("other.xyc");
        Files.writeString(other, "5 6\n");
        assertThat(SmearTour.photo(image, other).centres()).containsExactly(new Point(5, 6));
    }

    @Test
    void theShippedPhotographHasItsWhiteCellMarked() throws IOException {
        SmearTour.Photo p = SmearTour.shippedPhoto();
        assertThat(p.name()).isEqualTo(SmearTour.SHIPPED_PHOTO);
        assertThat(p.image().width() + "×" + p.image().height() + "×" + p.image().channels()).isEqualTo("640×480×3");
        assertThat(p.centres()).isEqualTo(List.of(new Point(180, 398)));
    }
}
