package dev.vnet.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vnet.ops.Image8;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFilesTest {
    @TempDir
    Path dir;

    static Path resource(String name) {
        try {
            return Path.of(ImageFilesTest.class.getResource(name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("test resource " + name + " is missing", e);
        }
    }

    /** A smooth colour pattern with some noise: realistic for JPEG, and every channel differs. */
    static Image8 pattern(int w, int h, int channels, long seed) {
        Random r = new Random(seed);
        Image8 img = new Image8(w, h, channels);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < channels; c++) {
                    double v = 128 + 90 * Math.sin(0.07 * x * (c + 1) + 0.05 * y) + r.nextInt(9) - 4;
                    img.set(x, y, c, (int) Math.max(0, Math.min(255, v)));
                }
            }
        }
        return img;
    }

    static Image8 noise(int w, int h, int channels, long seed) {
        byte[] b = new byte[w * h * channels];
        new Random(seed).nextBytes(b);
        return new Image8(w, h, channels, b);
    }

    @Test
    void losslessFormatsRoundTripExactly() throws IOException {
        for (String ext : List.of("png", "PNG", "bmp", "tif", "tiff")) {
            for (int channels : new int[] {1, 3}) {
                Image8 img = noise(37, 23, channels, ext.hashCode() + channels);
                Path f = dir.resolve("img" + channels + "." + ext);
                ImageFiles.write(img, f);
                Image8 back = ImageFiles.read(f);
                assertThat(back.sameAs(img)).as("%s, %d channels: %s", ext, channels, back).isTrue();
            }
        }
    }

    @Test
    void maskRoundTripsThroughPngExactly() throws IOException {
        Image8 mask = new Image8(64, 48, 1);
        for (int y = 0; y < 48; y++) {
            for (int x = 0; x < 64; x++) {
                int dx = x - 30;
                int dy = y - 20;
                mask.set(x, y, 0, dx * dx + dy * dy <= 25 * 25 / 4 ? 255 : 0);
            }
        }
        Path f = dir.resolve("mask.png");
        ImageFiles.write(mask, f);
        Image8 back = ImageFiles.read(f);
        assertThat(back.channels()).isEqualTo(1);
        assertThat(back.sameAs(mask)).isTrue();
    }

    @Test
    void jpegRoundTripIsCloseAndQualityMatters() throws IOException {
        Image8 img = pattern(96, 64, 3, 1);
        Path hi = dir.resolve("hi.jpg");
        Path lo = dir.resolve("lo.JPEG");
        ImageFiles.write(img, hi, 0.95f);
        ImageFiles.write(img, lo, 0.2f);
        Image8 backHi = ImageFiles.read(hi);
        Image8 backLo = ImageFiles.read(lo);
        assertThat(backHi.width()).isEqualTo(96);
        assertThat(backHi.height()).isEqualTo(64);
        assertThat(backHi.channels()).isEqualTo(3);
        double errHi = meanAbsDiff(img, backHi);
        double errLo = meanAbsDiff(img, backLo);
        assertThat(errHi).isLessThan(4.0);
        assertThat(errLo).isGreaterThan(errHi);
        assertThat(Files.size(lo)).isLessThan(Files.size(hi));

        Image8 gray = pattern(40, 30, 1, 2);
        Path g = dir.resolve("gray.jpg");
        ImageFiles.write(gray, g);
        Image8 backGray = ImageFiles.read(g);
        assertThat(backGray.channels()).isEqualTo(1);
        assertThat(meanAbsDiff(gray, backGray)).isLessThan(3.0);
    }

    @Test
    void readRgbReplicatesGray() throws IOException {
        Image8 gray = noise(5, 4, 1, 3);
        Path f = dir.resolve("g.png");
        ImageFiles.write(gray, f);
        Image8 rgb = ImageFiles.readRgb(f);
        assertThat(rgb.channels()).isEqualTo(3);
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 5; x++) {
                for (int c = 0; c < 3; c++) {
                    assertThat(rgb.get(x, y, c)).isEqualTo(gray.get(x, y, 0));
                }
            }
        }
    }

    @Test
    void readSizeUsesTheHeaderOnly() throws IOException {
        Path f = dir.resolve("s.jpg");
        ImageFiles.write(pattern(50, 30, 3, 4), f);
        assertThat(ImageFiles.readSize(f)).isEqualTo(new ImageFiles.ImageSize(50, 30));
        // The header alone: a file cut right after the frame header still has a size but no pixels.
        byte[] all = Files.readAllBytes(f);
        int sos = indexOf(all, new byte[] {(byte) 0xFF, (byte) 0xDA});
        Path cut = dir.resolve("cut.jpg");
        Files.write(cut, Arrays.copyOf(all, sos));
        assertThat(ImageFiles.readSize(cut)).isEqualTo(new ImageFiles.ImageSize(50, 30));
    }

    @Test
    void sixteenBitPalettedAndAlphaImagesBecomeEightBit() throws IOException {
        // 16-bit gray: round(v / 257).
        BufferedImage g16 = new BufferedImage(4, 1, BufferedImage.TYPE_USHORT_GRAY);
        int[] v16 = {0, 257 * 100 + 128, 65535, 300};
        g16.getRaster().setSamples(0, 0, 4, 1, 0, v16);
        Path pg = dir.resolve("g16.png");
        ImageIO.write(g16, "png", pg.toFile());
        Image8 g = ImageFiles.read(pg);
        assertThat(g.channels()).isEqualTo(1);
        assertThat(new int[] {g.get(0, 0, 0), g.get(1, 0, 0), g.get(2, 0, 0), g.get(3, 0, 0)})
                .containsExactly(0, 100, 255, 1);

        // 16-bit RGB.
        ComponentColorModel cm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB), false, false,
                Transparency.OPAQUE, DataBuffer.TYPE_USHORT);
        WritableRaster r = cm.createCompatibleWritableRaster(2, 1);
        r.setPixel(0, 0, new int[] {65535, 0, 257 * 7});
        r.setPixel(1, 0, new int[] {257 * 200, 257 * 50 + 200, 128});
        Path prgb = dir.resolve("rgb16.png");
        ImageIO.write(new BufferedImage(cm, r, false, null), "png", prgb.toFile());
        Image8 c = ImageFiles.read(prgb);
        assertThat(c.channels()).isEqualTo(3);
        assertThat(c.data()).containsExactly(toBytes(255, 0, 7, 200, 51, 0));

        // Colour palette: expanded to RGB; gray palette: gray.
        byte[] red = {10, (byte) 200, 30};
        byte[] green = {20, 100, 30};
        byte[] blue = {30, 0, 30};
        BufferedImage pal = new BufferedImage(3, 1, BufferedImage.TYPE_BYTE_INDEXED,
                new IndexColorModel(8, 3, red, green, blue));
        pal.getRaster().setSamples(0, 0, 3, 1, 0, new int[] {2, 0, 1});
        Path pp = dir.resolve("pal.png");
        ImageIO.write(pal, "png", pp.toFile());
        Image8 p = ImageFiles.read(pp);
        assertThat(p.channels()).isEqualTo(3);
        assertThat(p.data()).containsExactly(toBytes(30, 30, 30, 10, 20, 30, 200, 100, 0));

        // Alpha dropped, colours kept as stored (even where fully transparent).
        BufferedImage argb = new BufferedImage(2, 1, BufferedImage.TYPE_INT_ARGB);
        argb.setRGB(0, 0, 0x00112233);
        argb.setRGB(1, 0, 0x80445566);
        Path pa = dir.resolve("alpha.png");
        ImageIO.write(argb, "png", pa.toFile());
        Image8 a = ImageFiles.read(pa);
        assertThat(a.channels()).isEqualTo(3);
        assertThat(a.data()).containsExactly(toBytes(0x11, 0x22, 0x33, 0x44, 0x55, 0x66));
    }

    @Test
    void bufferedImageConversionsRoundTrip() {
        Image8 rgb = noise(7, 5, 3, 5);
        BufferedImage bi = ImageFiles.toBufferedImage(rgb);
        assertThat(bi.getType()).isEqualTo(BufferedImage.TYPE_3BYTE_BGR);
        assertThat(bi.getRGB(3, 2) & 0xFFFFFF).isEqualTo(rgb.get(3, 2, 0) << 16 | rgb.get(3, 2, 1) << 8 | rgb.get(3, 2, 2));
        assertThat(ImageFiles.fromBufferedImage(bi).sameAs(rgb)).isTrue();

        Image8 gray = noise(7, 5, 1, 6);
        assertThat(ImageFiles.fromBufferedImage(ImageFiles.toBufferedImage(gray)).sameAs(gray)).isTrue();

        BufferedImage intRgb = new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB);
        intRgb.setRGB(1, 1, 0xABCDEF);
        Image8 fromInt = ImageFiles.fromBufferedImage(intRgb);
        assertThat(new int[] {fromInt.get(1, 1, 0), fromInt.get(1, 1, 1), fromInt.get(1, 1, 2)})
                .containsExactly(0xAB, 0xCD, 0xEF);
        // A sub-image shares its parent's buffer with an offset: must not take the fast path blindly.
        BufferedImage sub = ImageFiles.toBufferedImage(rgb).getSubimage(2, 1, 3, 2);
        Image8 s = ImageFiles.fromBufferedImage(sub);
        assertThat(s.get(0, 0, 1)).isEqualTo(rgb.get(2, 1, 1));
        assertThat(s.get(2, 1, 2)).isEqualTo(rgb.get(4, 2, 2));
    }

    @Test
    void exifOrientationIsIgnored() throws IOException {
        Image8 img = pattern(40, 20, 3, 7);
        Path plain = dir.resolve("plain.jpg");
        ImageFiles.write(img, plain);
        byte[] jpeg = Files.readAllBytes(plain);
        // Insert an APP1 Exif segment with Orientation = 6 ("rotate 90° clockwise to display") after SOI.
        byte[] tiff = {'I', 'I', 42, 0, 8, 0, 0, 0, // little-endian TIFF header, IFD0 at offset 8
            1, 0, // one entry
            0x12, 0x01, 3, 0, 1, 0, 0, 0, 6, 0, 0, 0, // tag 0x0112 Orientation, SHORT, count 1, value 6
            0, 0, 0, 0}; // no next IFD
        ByteArrayOutputStream app1 = new ByteArrayOutputStream();
        int len = 2 + 6 + tiff.length;
        app1.write(new byte[] {(byte) 0xFF, (byte) 0xE1, (byte) (len >> 8), (byte) len, 'E', 'x', 'i', 'f', 0, 0});
        app1.write(tiff);
        ByteArrayOutputStream withExif = new ByteArrayOutputStream();
        withExif.write(jpeg, 0, 2);
        withExif.write(app1.toByteArray());
        withExif.write(jpeg, 2, jpeg.length - 2);
        Path rotated = dir.resolve("exif6.jpg");
        Files.write(rotated, withExif.toByteArray());

        // The reader sees the Exif segment (so the test file is what it claims to be)...
        assertThat(new String(Files.readAllBytes(rotated), 0, 20, java.nio.charset.StandardCharsets.ISO_8859_1))
                .contains("Exif");
        // ...and still returns the stored grid: 40 wide, 20 high, same pixels as without the tag.
        assertThat(ImageFiles.readSize(rotated)).isEqualTo(new ImageFiles.ImageSize(40, 20));
        Image8 a = ImageFiles.read(plain);
        Image8 b = ImageFiles.read(rotated);
        assertThat(b.width()).isEqualTo(40);
        assertThat(b.height()).isEqualTo(20);
        assertThat(b.sameAs(a)).isTrue();
    }

    @Test
    void cmykJpegIsConvertedToRgb() throws IOException {
        Image8 img = ImageFiles.read(resource("cmyk_quadrants.jpg"));
        assertThat(img.channels()).isEqualTo(3);
        assertThat(img.width()).isEqualTo(32);
        // Quadrant centres: white, cyan, magenta, black (colour management makes the exact values profile-dependent).
        int[] white = rgbAt(img, 8, 8);
        int[] cyan = rgbAt(img, 24, 8);
        int[] magenta = rgbAt(img, 8, 24);
        int[] black = rgbAt(img, 24, 24);
        assertThat(Arrays.stream(white).min().getAsInt()).as(Arrays.toString(white)).isGreaterThan(220);
        assertThat(cyan[0]).isLessThan(100);
        assertThat(cyan[2]).isGreaterThan(150);
        assertThat(magenta[1]).isLessThan(100);
        assertThat(magenta[0]).isGreaterThan(150);
        assertThat(Arrays.stream(black).max().getAsInt()).as(Arrays.toString(black)).isLessThan(80);
    }

    @Test
    void truncatedJpegIsReadAsFarAsItGoesWithAWarning() throws IOException {
        Image8 img = pattern(128, 128, 3, 8);
        Path full = dir.resolve("full.jpg");
        ImageFiles.write(img, full);
        byte[] all = Files.readAllBytes(full);
        Path cut = dir.resolve("truncated.jpg");
        Files.write(cut, Arrays.copyOf(all, all.length * 6 / 10));
        List<String> warnings = new ArrayList<>();
        Image8 partial = ImageFiles.read(cut, warnings::add);
        assertThat(partial.width()).isEqualTo(128);
        assertThat(partial.height()).isEqualTo(128);
        assertThat(warnings).isNotEmpty();
        // The top rows decoded before the cut match the complete file's decode.
        Image8 whole = ImageFiles.read(full);
        for (int x = 0; x < 128; x++) {
            assertThat(partial.get(x, 3, 1)).isEqualTo(whole.get(x, 3, 1));
        }
        // A file cut inside its headers cannot be decoded: a clear error naming the file.
        Path stub = dir.resolve("stub.jpg");
        Files.write(stub, Arrays.copyOf(all, 40));
        assertThatThrownBy(() -> ImageFiles.read(stub)).isInstanceOf(IOException.class)
                .hasMessageContaining(stub.toString());
    }

    @Test
    void anImageDeclaringMorePixelsThanTheLimitIsRefusedBeforeDecoding() throws IOException {
        // 1.6 gigapixels: decoding would need 1.6 GB for the gray raster alone.
        Path huge = CraftedImages.hugePng(dir.resolve("huge.png"), 40000, 40000);
        assertThat(Files.size(huge)).isLessThan(1000);
        assertThat(ImageFiles.readSize(huge)).isEqualTo(new ImageFiles.ImageSize(40000, 40000));
        assertThatThrownBy(() -> ImageFiles.read(huge)).isInstanceOf(IOException.class)
                .hasMessageContaining(huge.toString()).hasMessageContaining("40000×40000 = 1600000000 pixels")
                .hasMessageContaining("limit of 100000000").hasMessageContaining(ImageFiles.MAX_PIXELS_PROPERTY);
        assertThatThrownBy(() -> ImageFiles.readBufferedImage(huge, w -> { }))
                .hasMessageContaining("limit of 100000000");
        // Above what one byte array can hold, a raised limit does not help.
        assertThatThrownBy(() -> ImageFiles.read(huge, w -> { }, Long.MAX_VALUE))
                .hasMessageContaining(huge.toString()).hasMessageContaining("an in-memory RGB image can hold");
    }

    @Test
    void thePixelLimitIsAParameterAndASystemProperty() throws IOException {
        Path small = dir.resolve("small.png");
        ImageFiles.write(pattern(100, 80, 3, 3), small);
        assertThat(ImageFiles.read(small, w -> { }, 8000).width()).isEqualTo(100);
        assertThatThrownBy(() -> ImageFiles.read(small, w -> { }, 7999)).isInstanceOf(IOException.class)
                .hasMessageContaining(small.toString()).hasMessageContaining("100×80 = 8000 pixels")
                .hasMessageContaining("limit of 7999");
        String before = System.getProperty(ImageFiles.MAX_PIXELS_PROPERTY);
        try {
            System.setProperty(ImageFiles.MAX_PIXELS_PROPERTY, "7999");
            assertThat(ImageFiles.maxPixels()).isEqualTo(7999);
            assertThatThrownBy(() -> ImageFiles.read(small)).hasMessageContaining("limit of 7999");
            System.setProperty(ImageFiles.MAX_PIXELS_PROPERTY, "lots");
            assertThatThrownBy(ImageFiles::maxPixels).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'lots'").hasMessageContaining(ImageFiles.MAX_PIXELS_PROPERTY);
            System.clearProperty(ImageFiles.MAX_PIXELS_PROPERTY);
            assertThat(ImageFiles.maxPixels()).isEqualTo(ImageFiles.DEFAULT_MAX_PIXELS);
        } finally {
            if (before == null) {
                System.clearProperty(ImageFiles.MAX_PIXELS_PROPERTY);
            } else {
                System.setProperty(ImageFiles.MAX_PIXELS_PROPERTY, before);
            }
        }
    }

    @Test
    void writesDoNotNeedImageIosCacheFolder() throws IOException {
        Path cache = Files.createDirectory(dir.resolve("cache"));
        ImageIO.setCacheDirectory(cache.toFile());
        try {
            // A cache folder that has gone away, as a full or missing /tmp would: a cached stream cannot be created.
            Files.delete(cache);
            for (String name : List.of("a.png", "a.jpg", "a.bmp", "a.tif")) {
                Path f = dir.resolve(name);
                ImageFiles.write(pattern(40, 30, 3, 5), f);
                assertThat(ImageFiles.readSize(f)).isEqualTo(new ImageFiles.ImageSize(40, 30));
            }
        } finally {
            ImageIO.setCacheDirectory(null);
        }
    }

    @Test
    void badFilesGiveIoExceptionsNamingTheFileAndReason() throws IOException {
        Path missing = dir.resolve("missing.jpg");
        assertThatThrownBy(() -> ImageFiles.read(missing)).isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining(missing.toString()).hasMessageContaining("does not exist");
        assertThatThrownBy(() -> ImageFiles.readSize(missing)).isInstanceOf(NoSuchFileException.class);

        Path empty = dir.resolve("empty.jpg");
        Files.write(empty, new byte[0]);
        assertThatThrownBy(() -> ImageFiles.read(empty)).isInstanceOf(IOException.class)
                .hasMessageContaining(empty.toString()).hasMessageContaining("empty");

        Path text = dir.resolve("notes.png");
        Files.writeString(text, "this is not an image at all");
        assertThatThrownBy(() -> ImageFiles.read(text)).isInstanceOf(IOException.class)
                .hasMessageContaining(text.toString()).hasMessageContaining("unsupported");

        Path garbage = dir.resolve("garbage.jpg");
        byte[] g = new byte[2000];
        new Random(9).nextBytes(g);
        g[0] = (byte) 0xFF;
        g[1] = (byte) 0xD8;
        g[2] = (byte) 0xFF;
        Files.write(garbage, g);
        assertThatThrownBy(() -> ImageFiles.read(garbage)).isInstanceOf(IOException.class)
                .hasMessageContaining(garbage.toString());

        assertThatThrownBy(() -> ImageFiles.read(dir)).isInstanceOf(IOException.class)
                .hasMessageContaining("directory");
        assertThatThrownBy(() -> ImageFiles.write(noise(2, 2, 3, 1), dir.resolve("x.gif")))
                .isInstanceOf(IOException.class).hasMessageContaining("x.gif").hasMessageContaining("extension");
        assertThatThrownBy(() -> ImageFiles.write(noise(2, 2, 3, 1), dir.resolve("x.jpg"), 1.5f))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void writeIsAtomicAndLeavesNoTemporaryFiles() throws IOException {
        Path f = dir.resolve("a.png");
        Image8 first = noise(8, 8, 3, 10);
        ImageFiles.write(first, f);
        Image8 second = noise(8, 8, 1, 11);
        ImageFiles.write(second, f);
        assertThat(ImageFiles.read(f).sameAs(second)).isTrue();
        try (var s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly("a.png");
        }
    }

    /**
     * Real photos: our decode (JDK libjpeg 6b through TwelveMonkeys) against OpenCV 4.6's (system libjpeg 62),
     * written by tools/fixtures/bccd_jpeg_decode.py. Measured: identical, max abs diff 0 on all 921,600 values
     * (both decoders are libjpeg 6b's integer IDCT with fancy upsampling). The tolerance of 1 level admits another
     * libjpeg build (e.g. a SIMD libjpeg-turbo) on the reference side.
     */
    @Test
    void realPhotosDecodeLikeOpenCv() throws IOException {
        Image8 ours = ImageFiles.read(resource("bccd/BloodImage_00001.jpg"));
        Image8 cv2 = ImageFiles.read(resource("bccd/BloodImage_00001_cv2.png"));
        assertThat(ours.width()).isEqualTo(640);
        assertThat(ours.height()).isEqualTo(480);
        assertThat(ours.channels()).isEqualTo(3);
        int[] d1 = diffStats(ours, cv2, 0, 0);
        System.out.printf("BloodImage_00001: max abs diff %d, mean abs diff x1000 %d, differing values %d of %d%n",
                d1[0], d1[1], d1[2], ours.data().length);
        assertThat(d1[0]).isLessThanOrEqualTo(MAX_DECODER_DIFF);
        assertThat(d1[1] / 1000.0).isLessThan(MEAN_DECODER_DIFF);

        Image8 ours2 = ImageFiles.read(resource("bccd/BloodImage_00010.jpg"));
        Image8 crop = ImageFiles.read(resource("bccd/BloodImage_00010_cv2_crop_192_144.png"));
        int[] d2 = diffStats(ours2, crop, 192, 144);
        System.out.printf("BloodImage_00010 crop: max abs diff %d, mean abs diff x1000 %d%n", d2[0], d2[1]);
        assertThat(d2[0]).isLessThanOrEqualTo(MAX_DECODER_DIFF);
        assertThat(d2[1] / 1000.0).isLessThan(MEAN_DECODER_DIFF);
    }

    static final int MAX_DECODER_DIFF = 1;
    static final double MEAN_DECODER_DIFF = 0.01;

    // {max abs diff, mean abs diff * 1000, count of differing values} of ref against ours offset by (ox, oy).
    private static int[] diffStats(Image8 ours, Image8 ref, int ox, int oy) {
        int max = 0;
        long sum = 0;
        int count = 0;
        for (int y = 0; y < ref.height(); y++) {
            for (int x = 0; x < ref.width(); x++) {
                for (int c = 0; c < 3; c++) {
                    int d = Math.abs(ours.get(x + ox, y + oy, c) - ref.get(x, y, c));
                    max = Math.max(max, d);
                    sum += d;
                    count += d != 0 ? 1 : 0;
                }
            }
        }
        return new int[] {max, (int) (1000 * sum / ref.data().length), count};
    }

    private static int[] rgbAt(Image8 img, int x, int y) {
        return new int[] {img.get(x, y, 0), img.get(x, y, 1), img.get(x, y, 2)};
    }

    private static double meanAbsDiff(Image8 a, Image8 b) {
        long s = 0;
        for (int i = 0; i < a.data().length; i++) {
            s += Math.abs((a.data()[i] & 0xFF) - (b.data()[i] & 0xFF));
        }
        return (double) s / a.data().length;
    }

    private static byte[] toBytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return b;
    }

    private static int indexOf(byte[] a, byte[] pat) {
        outer:
        for (int i = 0; i + pat.length <= a.length; i++) {
            for (int j = 0; j < pat.length; j++) {
                if (a[i + j] != pat[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
