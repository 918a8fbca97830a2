package dev.vnet.io.allidb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vnet.io.ImageFiles;
import dev.vnet.ops.Image8;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AllIdb2DatasetTest {
    @TempDir
    Path tmp;

    @Test
    void readsCropsWithLabelsAndSizes() throws IOException {
        Path img = tmp.resolve("ALL_IDB2/img");
        AllIdb1DatasetTest.image(img.resolve("Im001_1.tif"), 257, 257);
        AllIdb1DatasetTest.image(img.resolve("Im002_0.TIF"), 250, 241);
        AllIdb1DatasetTest.image(img.resolve("Im003_1.tiff"), 257, 257);
        DatasetScan<AllIdb2Sample> scan = AllIdb2Dataset.scan(tmp);
        assertThat(scan.root()).isEqualTo(tmp.resolve("ALL_IDB2"));
        assertThat(scan.requireClean()).extracting(AllIdb2Sample::id).containsExactly("Im001_1", "Im002_0", "Im003_1");
        assertThat(scan.samples()).extracting(AllIdb2Sample::label).containsExactly(true, false, true);
        assertThat(scan.samples().get(1).width()).isEqualTo(250);
        assertThat(scan.samples().get(1).height()).isEqualTo(241);
        // The files are uncompressed RGB TIFFs, like ALL-IDB2's, and read back exactly.
        assertThat(Files.size(img.resolve("Im001_1.tif"))).isGreaterThan(257L * 257 * 3);
        Image8 back = ImageFiles.read(scan.samples().get(0).imagePath());
        assertThat(back.channels()).isEqualTo(3);
        assertThat(back.get(5, 0, 1)).isEqualTo((5 * 3 + 1) * 7 & 0xFF);
    }

    @Test
    void reportsBadNamesAndUnreadableImagesAndKeepsTheRest() throws IOException {
        Path img = tmp.resolve("img");
        AllIdb1DatasetTest.image(img.resolve("Im001_1.tif"), 20, 20);
        AllIdb1DatasetTest.image(img.resolve("cell.tif"), 20, 20);
        AllIdb1DatasetTest.text(img.resolve("Im002_0.tif"), "broken");
        AllIdb1DatasetTest.image(img.resolve("Im001_1.tiff"), 20, 20);
        DatasetScan<AllIdb2Sample> scan = AllIdb2Dataset.scan(tmp);
        assertThat(scan.samples()).extracting(AllIdb2Sample::id).containsExactly("Im001_1");
        assertThat(scan.problems()).hasSize(3);
        assertThat(scan.problems()).extracting(p -> p.file().getFileName().toString())
                .containsExactlyInAnyOrder("cell.tif", "Im002_0.tif", "Im001_1.tiff");
        assertThatThrownBy(scan::requireClean).isInstanceOf(DatasetException.class)
                .hasMessageContaining("cell.tif").hasMessageContaining("Im002_0.tif")
                .hasMessageContaining("cannot read the image header");
    }
}
