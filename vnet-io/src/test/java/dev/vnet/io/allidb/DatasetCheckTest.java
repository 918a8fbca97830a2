package dev.vnet.io.allidb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vnet.io.CraftedImages;
import dev.vnet.io.ImageFiles;
import dev.vnet.ops.Image8;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetCheckTest {
    @TempDir
    Path tmp;

    private static byte[] photoJpeg(Path file) throws IOException {
        Image8 img = new Image8(256, 192, 3);
        for (int i = 0; i < img.data().length; i++) {
            img.data()[i] = (byte) (i * 31 % 251);
        }
        ImageFiles.write(img, file);
        return Files.readAllBytes(file);
    }

    @Test
    void aCleanCopyPassesAndProgressCoversEveryImage() throws IOException {
        AllIdb1DatasetTest.goodCopy(tmp);
        List<String> calls = new ArrayList<>();
        DatasetScan<AllIdb1Sample> checked = DatasetCheck.allIdb1(tmp, ImageFiles.DEFAULT_MAX_PIXELS,
                (done, total, next) -> calls.add(done + "/" + total + " " + (next == null ? "-" : next.getFileName())));
        assertThat(checked.problems()).isEmpty();
        assertThat(checked.samples()).hasSize(5);
        assertThat(calls).containsExactly("0/5 Im001_1.jpg", "1/5 Im002_1.jpg", "2/5 Im003_0.jpg", "3/5 Im004_0.JPG",
                "4/5 Im005_1.jpeg", "5/5 -");
    }

    @Test
    void damagedImagesThatTheScanAcceptsAreProblemsOfTheFullCheck() throws IOException {
        AllIdb1DatasetTest.goodCopy(tmp);
        byte[] jpeg = photoJpeg(tmp.resolve("im/Im006_1.jpg"));
        Path half = tmp.resolve("im/Im006_1.jpg");
        Files.write(half, Arrays.copyOf(jpeg, jpeg.length / 2));
        AllIdb1DatasetTest.text(tmp.resolve("xyc/Im006_1.xyc"), "10\t10\n");
        Path headers = tmp.resolve("im/Im007_1.jpg");
        Files.write(headers, CraftedImages.headersOnly(jpeg));
        AllIdb1DatasetTest.text(tmp.resolve("xyc/Im007_1.xyc"), "10\t10\n");
        Path huge = CraftedImages.hugePng(tmp.resolve("im/Im008_1.jpg"), 40000, 40000);
        AllIdb1DatasetTest.text(tmp.resolve("xyc/Im008_1.xyc"), "10\t10\n");

        // The scan reads headers only: the cut and the header-only JPEG pass it.
        DatasetScan<AllIdb1Sample> scan = AllIdb1Dataset.scan(tmp);
        assertThat(scan.samples()).extracting(AllIdb1Sample::id).contains("Im006_1", "Im007_1");
        assertThat(scan.problems()).extracting(DatasetProblem::file).containsExactly(huge);

        DatasetScan<AllIdb1Sample> checked = DatasetCheck.allIdb1(tmp, ImageFiles.DEFAULT_MAX_PIXELS,
                DatasetCheck.Progress.NONE);
        assertThat(checked.samples()).extracting(AllIdb1Sample::id)
                .containsExactly("Im001_1", "Im002_1", "Im003_0", "Im004_0", "Im005_1");
        assertThat(checked.problems()).extracting(DatasetProblem::file).containsOnly(half, headers, huge)
                .contains(half, headers, huge);
        assertThat(checked.problems()).filteredOn(p -> p.file().equals(huge)).singleElement()
                .satisfies(p -> assertThat(p.message()).contains("40000×40000").contains("limit of 100000000"));
        assertThat(checked.isClean()).isFalse();
    }

    @Test
    void implausiblyManyPointsAreAProblemOfTheScanAndRepeatedOnesOfTheFullCheck() throws IOException {
        AllIdb1DatasetTest.goodCopy(tmp);
        Path many = tmp.resolve("xyc/Im002_1.xyc");
        AllIdb1DatasetTest.text(many, "5\t6\n" + "10\t20\n".repeat(2000));
        Path repeats = tmp.resolve("xyc/Im001_1.xyc");
        AllIdb1DatasetTest.text(repeats, "5\t6\n10\t20\n30\t40\n30\t40\n10\t20\n30\t40\n");
        // 64×48 pixels hold at most 12 centres at one per 16×16 pixels.
        DatasetScan<AllIdb1Sample> scan = AllIdb1Dataset.scan(tmp);
        assertThat(scan.problems()).singleElement().satisfies(p -> {
            assertThat(p.file()).isEqualTo(many);
            assertThat(p.message()).startsWith("2001 blast centres for the 64×48 image Im002_1.jpg").contains("(12)");
        });
        DatasetScan<AllIdb1Sample> checked = DatasetCheck.allIdb1(tmp, ImageFiles.DEFAULT_MAX_PIXELS,
                DatasetCheck.Progress.NONE);
        assertThat(checked.samples()).extracting(AllIdb1Sample::id).containsExactly("Im003_0", "Im004_0", "Im005_1");
        assertThat(checked.problems()).extracting(DatasetProblem::file).containsExactly(repeats, many);
        assertThat(checked.problems().get(0).message()).isEqualTo("3 points repeat an earlier one (each cell should"
                + " appear once), e.g. (10, 20) 2 times, (30, 40) 3 times");
    }

    @Test
    void aSingleRepeatIsReportedOnItsOwn() {
        AllIdb1Sample s = new AllIdb1Sample("Im001_1", Path.of("im/Im001_1.jpg"), Path.of("xyc/Im001_1.xyc"), true,
                List.of(new dev.vnet.ops.Point(1, 2), new dev.vnet.ops.Point(3, 4), new dev.vnet.ops.Point(1, 2)),
                2592, 1944);
        assertThat(DatasetCheck.repeatedPoints(s)).singleElement().satisfies(p -> assertThat(p.message())
                .isEqualTo("1 point repeats an earlier one (each cell should appear once), e.g. (1, 2) 2 times"));
    }
}
