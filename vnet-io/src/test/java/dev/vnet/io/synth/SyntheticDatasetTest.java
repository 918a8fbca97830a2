package dev.vnet.io.synth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vnet.io.allidb.AllIdb1Dataset;
import dev.vnet.io.allidb.AllIdb1Sample;
import dev.vnet.io.allidb.DatasetScan;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticDatasetTest {
    private static final SmearConfig CONFIG = SmearConfig.defaults().withImageCount(5).withSize(256, 192).withSeed(11);

    @Test
    void writesTheAllIdb1LayoutAndFormat(@TempDir Path dir) throws IOException {
        List<String> names = SyntheticDataset.write(dir, CONFIG);
        assertThat(names).hasSize(5);
        assertThat(list(dir)).containsExactlyInAnyOrder("im", "xyc");
        SmearGenerator gen = new SmearGenerator(CONFIG);
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            assertThat(name).matches(String.format("Im%03d_[01]", i + 1));
            Path jpg = dir.resolve("im").resolve(name + ".jpg");
            BufferedImage img = ImageIO.read(jpg.toFile());
            assertThat(img.getWidth()).isEqualTo(256);
            assertThat(img.getHeight()).isEqualTo(192);
            byte[] head = Files.readAllBytes(jpg);
            assertThat(head[0] & 0xFF).isEqualTo(0xFF);
            assertThat(head[1] & 0xFF).isEqualTo(0xD8);
            String xyc = Files.readString(dir.resolve("xyc").resolve(name + ".xyc"), StandardCharsets.US_ASCII);
            SyntheticSmear smear = gen.render(i);
            if (name.endsWith("_1")) {
                assertThat(xyc).matches("([0-9]+\t[0-9]+\n)+");
                String[] lines = xyc.split("\n");
                assertThat(lines).hasSize(smear.blasts().size());
                for (int k = 0; k < lines.length; k++) {
                    assertThat(lines[k]).isEqualTo(smear.blasts().get(k).x() + "\t" + smear.blasts().get(k).y());
                }
            } else {
                assertThat(xyc).isEqualTo("\n");
            }
        }
        assertThat(list(dir.resolve("im"))).hasSize(5);
        assertThat(list(dir.resolve("xyc"))).hasSize(5);
    }

    @Test
    void sameConfigurationWritesSameBytes(@TempDir Path a, @TempDir Path b) throws IOException {
        List<String> names = SyntheticDataset.write(a, CONFIG);
        SyntheticDataset.write(b, CONFIG);
        for (String name : names) {
            assertThat(Files.readAllBytes(b.resolve("im/" + name + ".jpg")))
                    .isEqualTo(Files.readAllBytes(a.resolve("im/" + name + ".jpg")));
            assertThat(Files.readAllBytes(b.resolve("xyc/" + name + ".xyc")))
                    .isEqualTo(Files.readAllBytes(a.resolve("xyc/" + name + ".xyc")));
        }
    }

    @Test
    void readsBackCleanlyAsAllIdb1(@TempDir Path dir) throws IOException {
        SmearConfig config = CONFIG.withImageCount(6).withAllFraction(0.5);
        List<String> names = SyntheticDataset.write(dir, config);
        DatasetScan<AllIdb1Sample> scan = AllIdb1Dataset.scan(dir);
        assertThat(scan.problems()).isEmpty();
        assertThat(scan.samples()).extracting(AllIdb1Sample::id).containsExactlyElementsOf(names);
        SmearGenerator gen = new SmearGenerator(config);
        for (int i = 0; i < names.size(); i++) {
            AllIdb1Sample s = scan.samples().get(i);
            assertThat(s.label()).isEqualTo(gen.isAll(i));
            assertThat(s.width()).isEqualTo(256);
            assertThat(s.height()).isEqualTo(192);
            assertThat(s.centres()).isEqualTo(gen.render(i).blastCentres());
        }
        assertThat(scan.samples()).anyMatch(AllIdb1Sample::label).anyMatch(s -> !s.label());
    }

    private static List<String> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).toList();
        }
    }

    @Test
    void aSizeBeyondThePixelLimitIsRefusedIn64Bits() {
        // 100000 × 100000 is -64771072 as an int.
        assertThatThrownBy(() -> CONFIG.withSize(100000, 100000)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("image size must be at most 100000000 pixels (the system property vnet.maxImagePixels),"
                        + " got 100000x100000 = 10000000000");
        assertThat(CONFIG.withSize(10000, 10000).width()).isEqualTo(10000);
    }

    @Test
    void cropsAreWrittenInTheAllIdb2Layout(@TempDir Path dir) throws IOException {
        SmearConfig config = SmearConfig.realistic(Camera.CAMERA_1712).withImageCount(3).withSeed(4);
        List<String> names = SyntheticDataset.writeCrops(dir, config);
        assertThat(names).containsExactly("Im001_1", "Im002_1", "Im003_0");
        var scan = dev.vnet.io.allidb.AllIdb2Dataset.scan(dir);
        assertThat(scan.problems()).isEmpty();
        assertThat(scan.samples()).extracting(s -> s.id() + " " + s.label() + " " + s.width() + "x" + s.height())
                .containsExactly("Im001_1 true 257x257", "Im002_1 true 257x257", "Im003_0 false 257x257");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> SyntheticDataset.writeCrops(dir, CONFIG))
                .hasMessageContaining("camera");
    }
}
