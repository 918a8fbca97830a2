package dev.vnet.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Holds Resize, GaussianBlur and MedianBlur to OpenCV 4.6, pixel for pixel, on the cases that
 * tools/fixtures/opencv_filters.py wrote (see the manifest next to the images).
 */
class OpenCvFilterFixturesTest {
    private static final String DIR = "/fixtures/opencv/filters/";

    record Case(String op, Map<String, String> params) {
        String get(String key) {
            String v = params.get(key);
            if (v == null) {
                throw new IllegalStateException("manifest case " + op + " " + params + " has no " + key);
            }
            return v;
        }

        int integer(String key) {
            return Integer.parseInt(get(key));
        }

        double real(String key) {
            return Double.parseDouble(get(key));
        }
    }

    static List<Case> cases(String op) throws IOException {
        List<Case> out = new ArrayList<>();
        try (InputStream in = OpenCvFilterFixturesTest.class.getResourceAsStream(DIR + "manifest.txt")) {
            assertThat(in).as("fixture manifest").isNotNull();
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] parts = line.trim().split(" ");
                if (!parts[0].equals(op)) {
                    continue;
                }
                Map<String, String> p = new HashMap<>();
                for (int i = 1; i < parts.length; i++) {
                    int eq = parts[i].indexOf('=');
                    p.put(parts[i].substring(0, eq), parts[i].substring(eq + 1));
                }
                out.add(new Case(op, p));
            }
        }
        assertThat(out).as("cases for " + op).isNotEmpty();
        return out;
    }

    static Image8 image(String name) throws IOException {
        try (InputStream in = OpenCvFilterFixturesTest.class.getResourceAsStream(DIR + name)) {
            assertThat(in).as("fixture " + name).isNotNull();
            return Pnm.read(in);
        }
    }

    // "" when equal, else a description of the first difference and the number of differing samples.
    static String diff(Image8 expected, Image8 actual) {
        if (expected.width() != actual.width() || expected.height() != actual.height()
                || expected.channels() != actual.channels()) {
            return "size " + actual + ", expected " + expected;
        }
        byte[] e = expected.data();
        byte[] a = actual.data();
        int count = 0;
        int first = -1;
        for (int i = 0; i < e.length; i++) {
            if (e[i] != a[i]) {
                if (first < 0) {
                    first = i;
                }
                count++;
            }
        }
        if (count == 0) {
            return "";
        }
        int cn = expected.channels();
        int px = first / cn;
        return count + " of " + e.length + " samples differ; first at x=" + px % expected.width() + " y="
                + px / expected.width() + " c=" + first % cn + ": " + (a[first] & 0xFF) + ", expected "
                + (e[first] & 0xFF);
    }

    @Test
    void blackAndWhiteImagesOfOneAndThreeChannelsAreCasesOfEveryFilter() throws IOException {
        List<String> extremes = List.of("black_c1_9x7.pgm", "black_c3_9x7.ppm", "white_c1_9x7.pgm", "white_c3_9x7.ppm");
        for (String op : List.of("gaussian", "median", "resize")) {
            assertThat(cases(op).stream().map(c -> c.get("in")).distinct()).as(op).containsAll(extremes);
        }
    }

    @Test
    void gaussianKernelsAreOpenCvsDoubles() throws IOException {
        List<String> failures = new ArrayList<>();
        List<Case> cs = cases("kernel");
        for (Case c : cs) {
            String[] vs = c.get("values").split(",");
            double[] k = GaussianBlur.kernel(c.integer("ksize"), c.real("sigma"));
            for (int i = 0; i < vs.length; i++) {
                if (k.length != vs.length || Double.doubleToLongBits(k[i]) != Double.doubleToLongBits(Double.parseDouble(vs[i]))) {
                    failures.add(c.params() + ": tap " + i + " = " + (i < k.length ? k[i] : "missing") + ", expected " + vs[i]);
                    break;
                }
            }
        }
        assertThat(failures).as("kernels that differ from cv2.getGaussianKernel (of " + cs.size() + ")").isEmpty();
    }

    @Test
    void gaussianBlurMatchesOpenCv() throws IOException {
        List<String> failures = new ArrayList<>();
        List<Case> cs = cases("gaussian");
        for (Case c : cs) {
            Image8 actual = GaussianBlur.apply(image(c.get("in")), c.integer("ksizeX"), c.integer("ksizeY"),
                    c.real("sigmaX"), c.real("sigmaY"));
            String d = diff(image(c.get("out")), actual);
            if (!d.isEmpty()) {
                failures.add(c.params() + ": " + d);
            }
        }
        assertThat(failures).as("GaussianBlur cases that differ from cv2 (of " + cs.size() + ")").isEmpty();
    }

    @Test
    void medianBlurMatchesOpenCv() throws IOException {
        List<String> failures = new ArrayList<>();
        List<Case> cs = cases("median");
        for (Case c : cs) {
            Image8 in = image(c.get("in"));
            Image8 expected = image(c.get("out"));
            int k = c.integer("ksize");
            String d = diff(expected, MedianBlur.apply(in, k));
            if (!d.isEmpty()) {
                failures.add(c.params() + ": " + d);
            }
            if (k <= 15) {
                String dn = diff(expected, MedianBlur.naive(in, k));
                if (!dn.isEmpty()) {
                    failures.add("naive " + c.params() + ": " + dn);
                }
            }
        }
        assertThat(failures).as("medianBlur cases that differ from cv2 (of " + cs.size() + ")").isEmpty();
    }

    @Test
    void resizeMatchesOpenCv() throws IOException {
        List<String> failures = new ArrayList<>();
        List<Case> cs = cases("resize");
        for (Case c : cs) {
            Image8 actual = Resize.apply(image(c.get("in")), c.integer("width"), c.integer("height"),
                    Resize.Interpolation.valueOf(c.get("interpolation")));
            String d = diff(image(c.get("out")), actual);
            if (!d.isEmpty()) {
                failures.add(c.params() + ": " + d);
            }
        }
        assertThat(failures).as("resize cases that differ from cv2 (of " + cs.size() + ")").isEmpty();
    }
}
