package dev.vnet.io.allidb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.vnet.io.ImageFiles;
import dev.vnet.ops.Image8;
import dev.vnet.ops.Point;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AllIdb1DatasetTest {
    @TempDir
    Path tmp;

    static void image(Path file, int w, int h) throws IOException {
        Files.createDirectories(file.getParent());
        Image8 img = new Image8(w, h, 3);
        for (int i = 0; i < img.data().length; i++) {
            img.data()[i] = (byte) (i * 7);
        }
        ImageFiles.write(img, file);
    }

    static void text(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, content.getBytes(StandardCharsets.UTF_8));
    }

    /** Five good samples exercising every accepted oddity of real copies. */
    static void goodCopy(Path base) throws IOException {
        image(base.resolve("im/Im001_1.jpg"), 64, 48);
        text(base.resolve("xyc/Im001_1.xyc"), "10\t20\r\n30\t40\r\n"); // CRLF
        image(base.resolve("im/Im002_1.jpg"), 64, 48);
        text(base.resolve("xyc/Im002_1.xyc"), "\uFEFF5 6\n  63\t47  \n\n\n"); // BOM, spaces, edge, trailing blanks
        image(base.resolve("im/Im003_0.jpg"), 64, 48);
        text(base.resolve("xyc/Im003_0.xyc"), ""); // 0 bytes
        image(base.resolve("im/Im004_0.JPG"), 64, 48);
        text(base.resolve("xyc/Im004_0.XYC"), "\n"); // single newline, upper-case extensions
        image(base.resolve("im/Im005_1.jpeg"), 50, 30); // another size
        text(base.resolve("xyc/Im005_1.xyc"), "49\t29\n");
    }

    @Test
    void readsACleanCopyWithEveryAcceptedOddity() throws IOException {
        goodCopy(tmp);
        DatasetScan<AllIdb1Sample> scan = AllIdb1Dataset.scan(tmp);
        assertThat(scan.problems()).isEmpty();
        assertThat(scan.isClean()).isTrue();
        List<AllIdb1Sample> s = scan.requireClean();
        assertThat(s).extracting(AllIdb1Sample::id).containsExactly("Im001_1", "Im002_1", "Im003_0", "Im004_0",
                "Im005_1");
        assertThat(s).extracting(AllIdb1Sample::label).containsExactly(true, true, false, false, true);
        assertThat(s.get(0).centres()).containsExactly(new Point(10, 20), new Point(30, 40));
        assertThat(s.get(1).centres()).containsExactly(new Point(5, 6), new Point(63, 47));
        assertThat(s.get(2).centres()).isEmpty();
        assertThat(s.get(3).centres()).isEmpty();
        assertThat(s.get(3).imagePath().getFileName().toString()).isEqualTo("Im004_0.JPG");
        assertThat(s.get(3).coordinatesPath().getFileName().toString()).isEqualTo("Im004_0.XYC");
        assertThat(s.get(4).width()).isEqualTo(50);
        assertThat(s.get(4).height()).isEqualTo(30);
        assertThat(s.get(0).width()).isEqualTo(64);
        assertThat(s.get(0).height()).isEqualTo(48);
    }

    @Test
    void findsNestedLayouts() throws IOException {
        Path nested = tmp.resolve("ALL_IDB1/ALL_IDB1");
        goodCopy(nested);
        for (Path root : List.of(tmp, tmp.resolve("ALL_IDB1"), nested)) {
            DatasetScan<AllIdb1Sample> scan = AllIdb1Dataset.scan(root);
            assertThat(scan.root()).as(root.toString()).isEqualTo(nested);
            assertThat(scan.requireClean()).hasSize(5);
        }
        // Folder names in another case.
        Path upper = tmp.resolve("copy2");
        image(upper.resolve("IM/Im001_1.jpg"), 16, 16);
        text(upper.resolve("XYC/Im001_1.xyc"), "1\t1\n");
        assertThat(AllIdb1Dataset.scan(upper).requireClean()).hasSize(1);
    }

    @Test
    void collectsEveryProblemAndKeepsTheGoodSamples() throws IOException {
        goodCopy(tmp);
        image(tmp.resolve("im/Im010_1.jpg"), 64, 48); // no coordinate file
        text(tmp.resolve("xyc/Im011_1.xyc"), "1\t1\n"); // no image
        image(tmp.resolve("im/Im012_1.jpg"), 64, 48);
        text(tmp.resolve("xyc/Im012_1.xyc"), "1\t1\n2\tz\n"); // bad token on line 2
        image(tmp.resolve("im/Im013_1.jpg"), 64, 48);
        text(tmp.resolve("xyc/Im013_1.xyc"), "1\t1\n\n64\t10\n"); // x outside the 64-wide image, line 3
        image(tmp.resolve("im/Im014_1.jpg"), 64, 48);
        text(tmp.resolve("xyc/Im014_1.xyc"), "\n"); // ALL label but no blast
        image(tmp.resolve("im/Im015_0.jpg"), 64, 48);
        text(tmp.resolve("xyc/Im015_0.xyc"), "3\t3\n"); // healthy label but a blast
        image(tmp.resolve("im/photo.jpg"), 8, 8); // name not matching
        image(tmp.resolve("im/Im16_1.jpg"), 8, 8); // two-digit counter
        text(tmp.resolve("im/Im017_1.jpg"), "not a jpeg"); // unreadable image
        text(tmp.resolve("xyc/Im017_1.xyc"), "1\t1\n");
        text(tmp.resolve("xyc/Im018_1.txt"), "1\t1\n"); // wrong extension
        text(tmp.resolve("xyc/Im019_1.xyc"), "1 2 3\n"); // three numbers and no image either
        image(tmp.resolve("im/Im020_1.jpg"), 64, 48);
        text(tmp.resolve("xyc/Im020_1.xyc"), "7\n"); // one number
        image(tmp.resolve("im/Im021_1.jpg"), 64, 48);
        text(tmp.resolve("xyc/Im021_1.xyc"), "-1\t5\n"); // negative
        text(tmp.resolve("im/.DS_Store"), "hidden files are skipped");

        DatasetScan<AllIdb1Sample> scan = AllIdb1Dataset.scan(tmp);
        assertThat(scan.samples()).extracting(AllIdb1Sample::id).containsExactly("Im001_1", "Im002_1", "Im003_0",
                "Im004_0", "Im005_1");
        assertThat(scan.isClean()).isFalse();
        List<String> problems = scan.problems().stream().map(DatasetProblem::toString).toList();
        assertThat(problems).hasSize(13);
        assertThat(problem(scan, "Im010_1.jpg")).contains("has no coordinate file").contains(tmp.resolve("xyc/Im010_1.xyc").toString());
        assertThat(problem(scan, "Im011_1.xyc")).contains("has no image").contains(tmp.resolve("im/Im011_1.jpg").toString());
        assertThat(line(scan, "Im012_1.xyc")).isEqualTo(2);
        assertThat(problem(scan, "Im012_1.xyc")).contains("'z' is not a whole number");
        assertThat(line(scan, "Im013_1.xyc")).isEqualTo(3);
        assertThat(problem(scan, "Im013_1.xyc")).contains("outside the 64x48 image").contains("(image Im013_1.jpg)");
        assertThat(problem(scan, "Im014_1.xyc")).contains("labelled 1 (ALL) but").contains("no blast");
        assertThat(problem(scan, "Im015_0.xyc")).contains("labelled 0 (healthy) but").contains("1 blast centre");
        assertThat(problem(scan, "photo.jpg")).contains("does not match ImXXX_Y.jpg");
        assertThat(problem(scan, "Im16_1.jpg")).contains("does not match");
        assertThat(problem(scan, "Im017_1.jpg")).contains("cannot read the image header: unsupported")
                .doesNotContain(tmp.toString());
        assertThat(problem(scan, "Im018_1.txt")).contains("does not match ImXXX_Y.xyc");
        assertThat(problem(scan, "Im019_1.xyc")).contains("has no image");
        assertThat(line(scan, "Im020_1.xyc")).isEqualTo(1);
        assertThat(problem(scan, "Im020_1.xyc")).contains("only one number");
        assertThat(problem(scan, "Im021_1.xyc")).contains("negative");
        assertThat(problems).noneMatch(p -> p.contains(".DS_Store"));

        DatasetException e = catchThrowableOfType(DatasetException.class, scan::requireClean);
        assertThat(e.problems()).isEqualTo(scan.problems());
        assertThat(e.getMessage()).startsWith("13 problems in data set " + tmp);
        for (String p : problems) {
            assertThat(e.getMessage()).contains(p);
        }
    }

    @Test
    void reportsDuplicateIdsAndCounterClashes() throws IOException {
        image(tmp.resolve("im/Im001_1.jpg"), 16, 16);
        image(tmp.resolve("im/Im001_1.jpeg"), 16, 16);
        text(tmp.resolve("xyc/Im001_1.xyc"), "1\t1\n");
        image(tmp.resolve("im/Im002_0.jpg"), 16, 16);
        image(tmp.resolve("im/Im002_1.jpg"), 16, 16);
        text(tmp.resolve("xyc/Im002_0.xyc"), "");
        text(tmp.resolve("xyc/Im002_1.xyc"), "2\t2\n");
        DatasetScan<AllIdb1Sample> scan = AllIdb1Dataset.scan(tmp);
        assertThat(scan.samples()).extracting(AllIdb1Sample::id).containsExactly("Im001_1");
        assertThat(problem(scan, "Im001_1.jpg")).contains("same id Im001_1");
        assertThat(problem(scan, "Im002_0.jpg")).contains("counter 002 is used by more than one image");
        assertThat(problem(scan, "Im002_1.jpg")).contains("counter 002");
    }

    @Test
    void missingCoordinateFolderIsAProblemForEveryImage() throws IOException {
        image(tmp.resolve("im/Im001_1.jpg"), 16, 16);
        DatasetScan<AllIdb1Sample> scan = AllIdb1Dataset.scan(tmp);
        assertThat(scan.samples()).isEmpty();
        assertThat(scan.problems()).hasSize(1);
        assertThat(scan.problems().get(0).message()).contains("coordinate folder is missing");
    }

    @Test
    void noLayoutOrAmbiguousLayoutIsAnError() throws IOException {
        assertThatThrownBy(() -> AllIdb1Dataset.scan(tmp.resolve("absent"))).isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("absent");
        Files.createDirectories(tmp.resolve("a/b/c/im"));
        assertThatThrownBy(() -> AllIdb1Dataset.scan(tmp)).isInstanceOf(IOException.class)
                .hasMessageContaining("no ALL_IDB1 data under " + tmp);
        Files.createDirectories(tmp.resolve("x/im"));
        Files.createDirectories(tmp.resolve("y/im"));
        assertThatThrownBy(() -> AllIdb1Dataset.scan(tmp)).isInstanceOf(IOException.class)
                .hasMessageContaining("ambiguous");
    }

    private static String problem(DatasetScan<?> scan, String fileName) {
        return find(scan, fileName).message();
    }

    private static int line(DatasetScan<?> scan, String fileName) {
        return find(scan, fileName).line();
    }

    private static DatasetProblem find(DatasetScan<?> scan, String fileName) {
        List<DatasetProblem> found = scan.problems().stream()
                .filter(p -> p.file().getFileName().toString().equals(fileName)).toList();
        assertThat(found).as("problems for %s in %s", fileName, scan.problems()).hasSize(1);
        return found.get(0);
    }

    @Test
    void anImageOverThePixelLimitIsAProblemOfTheScan() throws IOException {
        goodCopy(tmp);
        Path huge = dev.vnet.io.CraftedImages.hugePng(tmp.resolve("im/Im006_1.jpg"), 40000, 40000);
        text(tmp.resolve("xyc/Im006_1.xyc"), "10\t10\n");
        DatasetScan<AllIdb1Sample> scan = AllIdb1Dataset.scan(tmp);
        assertThat(scan.samples()).hasSize(5);
        assertThat(scan.problems()).singleElement().satisfies(p -> {
            assertThat(p.file()).isEqualTo(huge);
            assertThat(p.message()).contains("40000×40000").contains("limit of 100000000");
        });
        assertThat(AllIdb1Dataset.scan(tmp, 64 * 48 - 1).problems()).hasSize(5);
    }
}
