package dev.vnet.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.vnet.ops.preprocess.Pipeline;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Compares CLAHE, colour conversions, filled circles and connected components with the outputs OpenCV
 * 4.6 wrote ({@code tools/fixtures/opencv_clahe_masks.py}): zero differing pixels.
 */
class OpenCvClaheMasksFixtureTest {
    private static final String DIR = "/fixtures/opencv/clahe_masks/";

    @TestFactory
    Stream<DynamicTest> everyManifestCaseMatchesOpenCv() throws IOException {
        List<Map<String, String>> cases = manifest();
        assertThat(cases).hasSizeGreaterThan(40);
        return cases.stream().map(c -> dynamicTest(c.get("op") + " " + c.getOrDefault("out",
                c.getOrDefault("in", "")), () -> check(c)));
    }

    private static void check(Map<String, String> c) throws IOException {
        switch (c.get("op")) {
            case "clahe" -> {
                Image8 in = read(c.get("in"));
                Image8 got = Clahe.apply(in, Double.parseDouble(c.get("clip")), Integer.parseInt(c.get("tilesX")),
                        Integer.parseInt(c.get("tilesY")));
                assertSame(got, read(c.get("out")));
            }
            case "clahe_lab", "clahe_each" -> {
                Image8 in = read(c.get("in"));
                Clahe.ColorMode mode = c.get("op").equals("clahe_lab") ? Clahe.ColorMode.LAB_LIGHTNESS
                        : Clahe.ColorMode.EACH_CHANNEL;
                Image8 got = Clahe.apply(in, Double.parseDouble(c.get("clip")), Integer.parseInt(c.get("tilesX")),
                        Integer.parseInt(c.get("tilesY")), mode);
                assertSame(got, read(c.get("out")));
            }
            case "rgb2gray" -> assertSame(ColorConvert.rgbToGray(read(c.get("in"))), read(c.get("out")));
            case "rgb2lab" -> assertSame(ColorConvert.rgbToLab(read(c.get("in"))), read(c.get("out")));
            case "lab2rgb" -> assertSame(ColorConvert.labToRgb(read(c.get("in"))), read(c.get("out")));
            case "gray2rgb" -> assertSame(ColorConvert.grayToRgb(read(c.get("in"))), read(c.get("out")));
            case "circles" -> {
                int w = Integer.parseInt(c.get("width"));
                int h = Integer.parseInt(c.get("height"));
                Image8 got = new Image8(w, h, 1);
                for (String spec : c.get("circles").split(";")) {
                    String[] p = spec.split(",");
                    CircleMask.fillDisc(got, Integer.parseInt(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2]), 255);
                }
                assertSame(got, read(c.get("out")));
            }
            case "components" -> checkComponents(c);
            case "pipeline" -> {
                Pipeline p = parsePipeline(c.get("steps"));
                assertSame(p.apply(read(c.get("in"))), read(c.get("out")));
            }
            default -> throw new AssertionError("unknown op in manifest: " + c.get("op"));
        }
    }

    // "gray;resize:256:256:LINEAR;gaussian:5:0.0;median:5;clahe:2.0:8:8" → the builder's method-order pipeline.
    private static Pipeline parsePipeline(String spec) {
        Pipeline.Builder b = Pipeline.builder();
        for (String step : spec.split(";")) {
            String[] p = step.split(":");
            switch (p[0]) {
                case "gray" -> b.gray();
                case "resize" -> b.resize(Integer.parseInt(p[1]), Integer.parseInt(p[2]), Resize.Interpolation.valueOf(p[3]));
                case "gaussian" -> b.gaussian(Integer.parseInt(p[1]), Double.parseDouble(p[2]));
                case "median" -> b.median(Integer.parseInt(p[1]));
                case "clahe" -> b.clahe(Double.parseDouble(p[1]), Integer.parseInt(p[2]), Integer.parseInt(p[3]));
                default -> throw new AssertionError("unknown pipeline step " + p[0]);
            }
        }
        return b.build();
    }

    private static void checkComponents(Map<String, String> c) throws IOException {
        ConnectedComponents.Result r = ConnectedComponents.label(read(c.get("in")));
        List<String> expected = new ArrayList<>();
        try (BufferedReader br = reader(c.get("stats"))) {
            String line;
            while ((line = br.readLine()) != null) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    expected.add(line.trim());
                }
            }
        }
        assertThat(r.count()).isEqualTo(Integer.parseInt(c.get("count")));
        // Same set of components: compare the statistics with the label numbers left out, sorted.
        List<String> got = new ArrayList<>();
        for (ConnectedComponents.Component k : r.components()) {
            got.add(k.area() + " " + k.left() + " " + k.top() + " " + k.width() + " " + k.height() + " "
                    + pyRepr(k.centroidX()) + " " + pyRepr(k.centroidY()));
        }
        List<String> exp = expected.stream().map(s -> s.substring(s.indexOf(' ') + 1)).toList();
        assertThat(sorted(got)).containsExactlyElementsOf(sorted(exp));
        // Each pixel's component is the one OpenCV puts it in (numbers may differ: compare the partitions).
        Image8 cvLabels = read(c.get("labels"));
        Map<Integer, Integer> ours2cv = new HashMap<>();
        Map<Integer, Integer> cv2ours = new HashMap<>();
        for (int y = 0; y < r.height(); y++) {
            for (int x = 0; x < r.width(); x++) {
                int a = r.labelAt(x, y);
                int b = cvLabels.get(x, y, 0);
                assertThat(a == 0).as("background at (%d, %d)", x, y).isEqualTo(b == 0);
                assertThat(ours2cv.computeIfAbsent(a, k -> b)).isEqualTo(b);
                assertThat(cv2ours.computeIfAbsent(b, k -> a)).isEqualTo(a);
            }
        }
    }

    // Python's repr of a float: the shortest string that reads back to the same double, Java's too
    // except that Java writes 5.0E-4 style exponents, which centroids of small images never need.
    private static String pyRepr(double v) {
        return Double.toString(v);
    }

    private static List<String> sorted(List<String> l) {
        List<String> s = new ArrayList<>(l);
        s.sort(Comparator.naturalOrder());
        return s;
    }

    static void assertSame(Image8 got, Image8 expected) {
        assertThat(got.width()).isEqualTo(expected.width());
        assertThat(got.height()).isEqualTo(expected.height());
        assertThat(got.channels()).isEqualTo(expected.channels());
        int diff = 0;
        int maxAbs = 0;
        String first = null;
        byte[] a = got.data();
        byte[] b = expected.data();
        for (int i = 0; i < a.length; i++) {
            if (a[i] != b[i]) {
                diff++;
                maxAbs = Math.max(maxAbs, Math.abs((a[i] & 0xFF) - (b[i] & 0xFF)));
                if (first == null) {
                    int px = i / got.channels();
                    first = "(" + px % got.width() + ", " + px / got.width() + ") ch " + i % got.channels()
                            + ": got " + (a[i] & 0xFF) + ", OpenCV " + (b[i] & 0xFF);
                }
            }
        }
        assertThat(diff).as("differing bytes (max |diff| %d, first at %s)", maxAbs, first).isZero();
    }

    static Image8 read(String name) throws IOException {
        try (InputStream in = OpenCvClaheMasksFixtureTest.class.getResourceAsStream(DIR + name)) {
            if (in == null) {
                throw new IOException("missing fixture " + DIR + name);
            }
            return Pnm.read(in);
        }
    }

    private static BufferedReader reader(String name) throws IOException {
        InputStream in = OpenCvClaheMasksFixtureTest.class.getResourceAsStream(DIR + name);
        if (in == null) {
            throw new IOException("missing fixture " + DIR + name);
        }
        return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    }

    private static List<Map<String, String>> manifest() throws IOException {
        List<Map<String, String>> out = new ArrayList<>();
        try (BufferedReader br = reader("manifest.txt")) {
            String line;
            while ((line = br.readLine()) != null) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                Map<String, String> m = new HashMap<>();
                for (String tok : line.trim().split("\\s+")) {
                    int eq = tok.indexOf('=');
                    m.put(tok.substring(0, eq), tok.substring(eq + 1));
                }
                out.add(m);
            }
        }
        return out;
    }
}
