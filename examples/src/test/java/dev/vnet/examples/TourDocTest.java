package dev.vnet.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vnet.cli.Cli;
import dev.vnet.io.ImageFiles;
import dev.vnet.ops.Image8;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/tour.md is built from what {@code ./vnet tour} prints and draws, committed under docs/tour/: the tour is run
 * again (the command the page gives, with its default photograph, seed and thread count) and its pictures and printed
 * text must show what the committed ones show. Pixels may differ by a level where another CPU's BLAS rounds a float
 * differently, and times differ from run to run; anything else the code changes in what the tour shows fails here.
 * After a deliberate change: {@code ./vnet tour --out docs/tour --force}, then update the page.
 */
class TourDocTest {
    private static final Path DOCS = RepoDocs.root().resolve("docs");
    private static final Path COMMITTED = DOCS.resolve("tour");
    private static final Pattern TIME = Pattern.compile(" *\\d+ ms");
    private static final Pattern NUMBER = Pattern.compile("-?\\d+\\.\\d+(?:e[-+]?\\d+)?");

    @TempDir
    static Path fresh;

    private static String printed;

    @BeforeAll
    static void runTheTour() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Cli.run(new String[] {"tour", "--out", fresh.toString()}, new PrintWriter(out), new PrintWriter(err));
        assertThat(code).as("vnet tour: %s", err).isZero();
        printed = out.toString();
    }

    @Test
    void drawsThePicturesThatAreCommitted() throws IOException {
        assertThat(pictures(fresh)).isEqualTo(pictures(COMMITTED));
        for (String name : pictures(COMMITTED)) {
            Image8 was = ImageFiles.read(COMMITTED.resolve(name));
            Image8 now = ImageFiles.read(fresh.resolve(name));
            assertThat(now.width() + "×" + now.height() + "×" + now.channels()).as(name)
                    .isEqualTo(was.width() + "×" + was.height() + "×" + was.channels());
            byte[] a = was.data();
            byte[] b = now.data();
            long sum = 0;
            int far = 0;
            for (int i = 0; i < a.length; i++) {
                int d = Math.abs((a[i] & 0xFF) - (b[i] & 0xFF));
                sum += d;
                far += d > 8 ? 1 : 0;
            }
            assertThat((double) sum / a.length).as("%s: mean difference in levels", name).isLessThan(0.5);
            assertThat((double) far / a.length).as("%s: share of values more than 8 levels apart", name).isLessThan(1e-3);
        }
    }

    @Test
    void printsWhatIsCommittedAsidefromTimes() throws IOException {
        List<String> was = Files.readAllLines(COMMITTED.resolve("tour.txt"));
        List<String> now = Files.readAllLines(fresh.resolve("tour.txt"));
        assertThat(printed).startsWith(String.join(System.lineSeparator(), now));
        assertThat(now).hasSameSizeAs(was);
        for (int i = 0; i < was.size(); i++) {
            assertSameLine(was.get(i), now.get(i));
        }
    }

    @Test
    void thePageShowsTheCommittedTextAndEveryPicture() throws IOException {
        String page = RepoDocs.read(DOCS.resolve("tour.md"));
        List<String> text = Files.readAllLines(COMMITTED.resolve("tour.txt"));
        assertThat(RepoDocs.blocks(page)).as("a text block of docs/tour.md that is docs/tour/tour.txt")
                .anySatisfy(b -> assertThat(b.lines()).isEqualTo(text));
        for (String name : pictures(COMMITTED)) {
            assertThat(page).as("docs/tour.md shows %s", name).contains("](tour/" + name + ")");
        }
        assertThat(page).contains("./vnet tour --out docs/tour --force")
                .contains("](../examples/src/main/java/dev/vnet/examples/AutogradTour.java)");
    }

    /**
     * Numbers with a decimal point may differ in their last digit (another CPU's rounding): by 0.2% and one unit of
     * the last printed digit; times entirely.
     */
    private static void assertSameLine(String was, String now) {
        String a = TIME.matcher(was).replaceAll(" … ms");
        String b = TIME.matcher(now).replaceAll(" … ms");
        assertThat(NUMBER.matcher(b).replaceAll("#")).as("line of tour.txt").isEqualTo(NUMBER.matcher(a).replaceAll("#"));
        Matcher x = NUMBER.matcher(a);
        Matcher y = NUMBER.matcher(b);
        while (x.find() && y.find()) {
            double expected = Double.parseDouble(x.group());
            String digits = x.group().replaceAll("e.*", "");
            double lastDigit = x.group().contains("e") ? 0 : Math.pow(10, -(digits.length() - digits.indexOf('.') - 1));
            assertThat(Double.parseDouble(y.group())).as("%s in the line %s", y.group(), now)
                    .isCloseTo(expected, Offset.offset(2e-3 * Math.abs(expected) + lastDigit));
        }
    }

    private static List<String> pictures(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".png")).sorted().toList();
        }
    }
}
