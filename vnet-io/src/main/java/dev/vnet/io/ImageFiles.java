package dev.vnet.io;

import dev.vnet.ops.ColorConvert;
import dev.vnet.ops.Image8;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.DataBufferByte;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.color.ColorSpace;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.function.Consumer;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads and writes JPEG, TIFF, PNG and BMP files as {@link Image8}, through {@code javax.imageio} with the
 * TwelveMonkeys plugins (which add CMYK/YCCK JPEG and TIFF, and read more damaged JPEGs than the JDK alone).
 *
 * <p>What a read returns:
 * <ul>
 *   <li>Gray images (any bit depth), and palette images whose palette holds only grays (as BMP writers store
 *       gray images), become 1-channel images; every other colour model (RGB, colour palette, CMYK, YCCK)
 *       becomes 3-channel RGB. Palette images are expanded through their palette.</li>
 *   <li>Samples of more than 8 bits (16-bit PNG or TIFF) are scaled to 8 bits with rounding
 *       ({@code round(v * 255 / 65535)}); samples of fewer bits are scaled up ({@code round(v * 255 / (2^bits - 1))}).</li>
 *   <li>An alpha channel is dropped, not composited: the colour values are kept as stored, as
 *       OpenCV's {@code imread(..., IMREAD_COLOR)} does.</li>
 *   <li><b>EXIF orientation is ignored</b>: the image is returned in its stored pixel grid, never rotated or
 *       flipped, so that pixel coordinates (such as those of ALL-IDB1's {@code .xyc} files) always refer to the
 *       grid as stored. (OpenCV's {@code imread} applies the orientation unless given
 *       {@code IMREAD_IGNORE_ORIENTATION}; these readers do not.)</li>
 *   <li>A truncated or slightly corrupt JPEG is decoded as far as the data go (the rest is filled by the
 *       decoder, usually gray) and the decoder's warnings are reported to the warning consumer or logged; a
 *       file that cannot be decoded at all gives an {@link IOException}.</li>
 * </ul>
 * A missing, unreadable or unsupported file gives an {@link IOException} whose message names the file and the
 * reason.
 *
 * <p>Writes choose the format from the file extension ({@code .png}, {@code .jpg}/{@code .jpeg},
 * {@code .bmp}, {@code .tif}/{@code .tiff}, any case) and are atomic (see {@link AtomicFiles}). PNG, BMP and
 * TIFF (uncompressed) are lossless. The encoder's output is buffered in memory, never in ImageIO's cache
 * folder.
 */
public final class ImageFiles {
    private static final Logger LOG = LoggerFactory.getLogger(ImageFiles.class);

    /**
     * System property that sets the most decoded pixels (width × height) an image file may declare; see
     * {@link #maxPixels()}.
     */
    public static final String MAX_PIXELS_PROPERTY = "vnet.maxImagePixels";

    /** The default of {@link #maxPixels()}: 100 megapixels, 300 MB as 8-bit RGB (an ALL-IDB1 photo has 5). */
    public static final long DEFAULT_MAX_PIXELS = 100_000_000L;

    // An Image8 is one byte array of width × height × 3 bytes.
    private static final long MAX_ARRAY_PIXELS = (Integer.MAX_VALUE - 8) / 3;

    /** JPEG quality used by {@link #write(Image8, Path)}: high, so that re-encoding loses little. */
    public static final float DEFAULT_JPEG_QUALITY = 0.95f;

    static {
        // Registers the TwelveMonkeys plugins even where the context class loader does not see them.
        ImageIO.scanForPlugins();
    }

    private ImageFiles() {}

    /**
     * The size of an image in pixels.
     *
     * @param width  the width in pixels
     * @param height the height in pixels
     */
    public record ImageSize(int width, int height) {
        /** {@return width × height, in 64 bits} */
        public long pixels() {
            return (long) width * height;
        }
    }

    /**
     * The most decoded pixels an image file may declare before it is refused without decoding: the system
     * property {@value #MAX_PIXELS_PROPERTY} if set, otherwise {@link #DEFAULT_MAX_PIXELS}.
     *
     * @return the limit, at least 1
     * @throws IllegalArgumentException naming the property if its value is not a whole number of at least 1
     */
    public static long maxPixels() {
        String v = System.getProperty(MAX_PIXELS_PROPERTY);
        if (v == null || v.isBlank()) {
            return DEFAULT_MAX_PIXELS;
        }
        try {
            long n = Long.parseLong(v.strip().replace("_", ""));
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("system property " + MAX_PIXELS_PROPERTY + " = '" + v
                + "' must be a whole number of pixels of at least 1 (default " + DEFAULT_MAX_PIXELS + ")");
    }

    /**
     * Refuses an image whose header declares more than {@code maxPixels} pixels, or more than an
     * {@link Image8} can hold, before anything is decoded.
     *
     * @param file      the image file, named in the message
     * @param size      the size its header declares
     * @param maxPixels the limit (see {@link #maxPixels()})
     * @throws IOException naming the file, its size and the limit if it is over
     */
    public static void checkPixels(Path file, ImageSize size, long maxPixels) throws IOException {
        long pixels = size.pixels();
        if (size.width() < 1 || size.height() < 1) {
            throw new IOException(file + ": the header declares an image of " + size.width() + "×" + size.height()
                    + " pixels; expected at least 1×1");
        }
        if (pixels > maxPixels) {
            throw new IOException(file + ": the header declares " + size.width() + "×" + size.height() + " = "
                    + pixels + " pixels, more than the limit of " + maxPixels + " decoded pixels per image (set by the"
                    + " system property " + MAX_PIXELS_PROPERTY + ", e.g. -D" + MAX_PIXELS_PROPERTY + "="
                    + Math.max(pixels, DEFAULT_MAX_PIXELS) + "); not decoded");
        }
        if (pixels > MAX_ARRAY_PIXELS) {
            throw new IOException(file + ": the header declares " + size.width() + "×" + size.height() + " = "
                    + pixels + " pixels, more than the " + MAX_ARRAY_PIXELS + " an in-memory RGB image can hold;"
                    + " not decoded");
        }
    }

    /**
     * Reads an image file; decoder warnings (such as a truncated JPEG) are logged.
     *
     * @param file the image file
     * @return the pixels as 1 or 3 channels
     * @throws IOException naming the file if it is missing, unreadable, of an unsupported format or cannot be
     *                     decoded
     */
    public static Image8 read(Path file) throws IOException {
        return read(file, w -> LOG.warn("{}: {}", file, w));
    }

    /**
     * Reads an image file, passing each decoder warning (for example "Premature end of JPEG file") to
     * {@code warnings}.
     *
     * @param file     the image file
     * @param warnings receives each decoder warning
     * @return the pixels as 1 or 3 channels
     * @throws IOException naming the file if it is missing, unreadable, of an unsupported format or cannot be
     *                     decoded
     */
    public static Image8 read(Path file, Consumer<String> warnings) throws IOException {
        return read(file, warnings, maxPixels());
    }

    /**
     * Reads an image file as {@link #read(Path, Consumer)} does, refusing it before decoding when its header
     * declares more than {@code maxPixels} pixels.
     *
     * @param file      the image file
     * @param warnings  receives each decoder warning
     * @param maxPixels the most pixels (width × height) accepted
     * @return the pixels as 1 or 3 channels
     * @throws IOException naming the file if it is missing, unreadable, too large, of an unsupported format or
     *                     cannot be decoded
     */
    public static Image8 read(Path file, Consumer<String> warnings, long maxPixels) throws IOException {
        BufferedImage img = readBufferedImage(file, warnings, maxPixels);
        try {
            return fromBufferedImage(img);
        } catch (OutOfMemoryError e) {
            throw outOfMemory(file, new ImageSize(img.getWidth(), img.getHeight()));
        }
    }

    /**
     * Reads an image file as 3-channel RGB: gray images are replicated into the three channels.
     *
     * @param file the image file
     * @return a 3-channel image
     * @throws IOException if a file cannot be read or written
     */
    public static Image8 readRgb(Path file) throws IOException {
        Image8 img = read(file);
        return img.channels() == 3 ? img : ColorConvert.grayToRgb(img);
    }

    /**
     * Reads the image size from the file's header, without decoding the pixels.
     *
     * @param file the image file
     * @return the width and height
     * @throws IOException naming the file if it is missing, unreadable or not a supported image
     */
    public static ImageSize readSize(Path file) throws IOException {
        try (ImageInputStream in = open(file)) {
            ImageReader reader = readerFor(file, in);
            try {
                reader.setInput(in, true, true);
                return new ImageSize(reader.getWidth(0), reader.getHeight(0));
            } catch (IOException | RuntimeException e) {
                throw failure(file, "cannot read the image header", e);
            } finally {
                reader.dispose();
            }
        }
    }

    /**
     * Reads an image file as a {@link BufferedImage}, in the decoder's own colour model.
     *
     * @param file     the image file
     * @param warnings receives each decoder warning
     * @return the decoded image
     * @throws IOException naming the file and the reason
     */
    public static BufferedImage readBufferedImage(Path file, Consumer<String> warnings) throws IOException {
        return readBufferedImage(file, warnings, maxPixels());
    }

    /**
     * Reads an image file as a {@link BufferedImage}, in the decoder's own colour model, after checking the size
     * its header declares against {@code maxPixels} ({@link #checkPixels}).
     *
     * @param file      the image file
     * @param warnings  receives each decoder warning
     * @param maxPixels the most pixels (width × height) accepted
     * @return the decoded image
     * @throws IOException naming the file and the reason
     */
    public static BufferedImage readBufferedImage(Path file, Consumer<String> warnings, long maxPixels)
            throws IOException {
        try (ImageInputStream in = open(file)) {
            ImageReader reader = readerFor(file, in);
            ImageSize size = null;
            try {
                reader.addIIOReadWarningListener(new IIOReadWarningListener() {
                    @Override
                    public void warningOccurred(ImageReader source, String warning) {
                        warnings.accept(warning);
                    }
                });
                // Metadata (and with it EXIF orientation) is ignored on purpose: see the class comment.
                reader.setInput(in, true, true);
                size = new ImageSize(reader.getWidth(0), reader.getHeight(0));
                checkPixels(file, size, maxPixels);
                BufferedImage img = reader.read(0);
                if (img == null) {
                    throw new IOException(file + ": the decoder returned no image");
                }
                return img;
            } catch (IOException | RuntimeException e) {
                // Decoders throw runtime exceptions (index out of bounds, illegal argument) on some corrupt input.
                throw failure(file, "cannot decode the " + reader.getFormatName().toUpperCase(Locale.ROOT) + " image", e);
            } catch (OutOfMemoryError e) {
                throw outOfMemory(file, size);
            } finally {
                reader.dispose();
            }
        }
    }

    private static ImageInputStream open(Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString(), null, "image file does not exist");
        }
        if (Files.isDirectory(file)) {
            throw new IOException(file + ": is a directory, not an image file");
        }
        if (!Files.isReadable(file)) {
            throw new java.nio.file.AccessDeniedException(file.toString(), null, "image file is not readable");
        }
        ImageInputStream in = ImageIO.createImageInputStream(file.toFile());
        if (in == null) {
            throw new IOException(file + ": cannot open an image input stream");
        }
        return in;
    }

    private static ImageReader readerFor(Path file, ImageInputStream in) throws IOException {
        Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
        if (!readers.hasNext()) {
            in.close();
            long size = Files.size(file);
            String what = size == 0 ? "the file is empty" : "unsupported or unrecognised image format (first bytes "
                    + firstBytes(file) + "); supported are JPEG, PNG, TIFF and BMP";
            throw new IOException(file + ": " + what);
        }
        return readers.next();
    }

    private static String firstBytes(Path file) {
        try (InputStream s = Files.newInputStream(file)) {
            byte[] b = s.readNBytes(8);
            StringBuilder sb = new StringBuilder();
            for (byte x : b) {
                sb.append(String.format("%02x", x & 0xFF));
            }
            return sb.toString();
        } catch (IOException e) {
            return "unreadable";
        }
    }

    private static IOException outOfMemory(Path file, ImageSize size) {
        Runtime rt = Runtime.getRuntime();
        return new IOException(file + ": not enough memory to decode "
                + (size == null ? "the image" : "the " + size.width() + "×" + size.height() + " image ("
                        + Limits.mib(size.pixels() * 3) + " as 8-bit RGB, more while decoding)")
                + "; the Java heap's limit is " + Limits.mib(rt.maxMemory()) + ": raise it with -Xmx or lower the system"
                + " property " + MAX_PIXELS_PROPERTY + " (now " + maxPixels() + ") to refuse such images");
    }

    private static IOException failure(Path file, String what, Exception e) {
        String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (e instanceof IOException io && reason.contains(file.toString())) {
            return io;
        }
        return new IOException(file + ": " + what + ": " + reason, e);
    }

    // ------------------------------------------------------------------ conversion

    /**
     * Converts a {@link BufferedImage} to an {@link Image8} by the rules in the class comment (gray stays gray,
     * everything else becomes RGB, alpha dropped, other bit depths scaled to 8 bits).
     *
     * @param img the image
     * @return the pixels as 1 or 3 channels
     */
    public static Image8 fromBufferedImage(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        ColorModel cm = img.getColorModel();
        Raster raster = img.getRaster();
        int type = img.getType();
        if (type == BufferedImage.TYPE_BYTE_GRAY && isTightByteRaster(raster, 1)) {
            return new Image8(w, h, 1, tightCopy(raster, w, h, 1));
        }
        if (type == BufferedImage.TYPE_3BYTE_BGR && isTightByteRaster(raster, 3)) {
            byte[] bgr = tightCopy(raster, w, h, 3);
            for (int i = 0; i < bgr.length; i += 3) {
                byte b = bgr[i];
                bgr[i] = bgr[i + 2];
                bgr[i + 2] = b;
            }
            return new Image8(w, h, 3, bgr);
        }
        if (!(cm instanceof IndexColorModel) && cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY) {
            // Read the gray samples directly: getRGB would pass them through a linear-to-sRGB gamma curve.
            int bits = cm.getComponentSize(0);
            long max = (1L << bits) - 1;
            byte[] out = new byte[w * h];
            int[] row = new int[w];
            for (int y = 0; y < h; y++) {
                raster.getSamples(0, y, w, 1, 0, row);
                for (int x = 0; x < w; x++) {
                    out[y * w + x] = (byte) (bits == 8 ? row[x] : ((row[x] & 0xFFFFFFFFL) * 255 + max / 2) / max);
                }
            }
            return new Image8(w, h, 1, out);
        }
        if (!(cm instanceof IndexColorModel) && cm.getColorSpace().isCS_sRGB() && cm.getNumColorComponents() == 3) {
            // sRGB samples of any depth: scale the stored values, no colour conversion needed.
            byte[] out = new byte[w * h * 3];
            int[] row = new int[w];
            for (int band = 0; band < 3; band++) {
                int bits = cm.getComponentSize(band);
                long max = (1L << bits) - 1;
                for (int y = 0; y < h; y++) {
                    raster.getSamples(0, y, w, 1, band, row);
                    for (int x = 0; x < w; x++) {
                        out[(y * w + x) * 3 + band] = (byte) (bits == 8 ? row[x]
                                : ((row[x] & 0xFFFFFFFFL) * 255 + max / 2) / max);
                    }
                }
            }
            return new Image8(w, h, 3, out);
        }
        if (cm instanceof IndexColorModel icm && isGrayPalette(icm)) {
            byte[] out = new byte[w * h];
            int[] argb = new int[w];
            for (int y = 0; y < h; y++) {
                img.getRGB(0, y, w, 1, argb, 0, w);
                for (int x = 0; x < w; x++) {
                    out[y * w + x] = (byte) argb[x];
                }
            }
            return new Image8(w, h, 1, out);
        }
        // Palette, CMYK, YCCK and other colour spaces: let the colour model convert each pixel to sRGB.
        byte[] out = new byte[w * h * 3];
        int[] argb = new int[w];
        for (int y = 0; y < h; y++) {
            img.getRGB(0, y, w, 1, argb, 0, w);
            for (int x = 0; x < w; x++) {
                int p = argb[x];
                int i = (y * w + x) * 3;
                out[i] = (byte) (p >> 16);
                out[i + 1] = (byte) (p >> 8);
                out[i + 2] = (byte) p;
            }
        }
        return new Image8(w, h, 3, out);
    }

    private static boolean isGrayPalette(IndexColorModel icm) {
        for (int i = 0; i < icm.getMapSize(); i++) {
            if (icm.getRed(i) != icm.getGreen(i) || icm.getRed(i) != icm.getBlue(i)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isTightByteRaster(Raster r, int channels) {
        return r.getDataBuffer() instanceof DataBufferByte db && db.getNumBanks() == 1
                && r.getSampleModel() instanceof java.awt.image.PixelInterleavedSampleModel sm
                && sm.getPixelStride() == channels && sm.getScanlineStride() == r.getWidth() * channels
                && r.getSampleModelTranslateX() == 0 && r.getSampleModelTranslateY() == 0
                && bandOffsetsAscending(sm.getBandOffsets(), channels);
    }

    private static boolean bandOffsetsAscending(int[] offsets, int channels) {
        // TYPE_3BYTE_BGR stores B,G,R in memory: band offsets {2,1,0} (band 0 = red at offset 2).
        if (channels == 1) {
            return offsets[0] == 0;
        }
        return offsets[0] == 2 && offsets[1] == 1 && offsets[2] == 0;
    }

    private static byte[] tightCopy(Raster r, int w, int h, int channels) {
        byte[] src = ((DataBufferByte) r.getDataBuffer()).getData();
        int offset = ((DataBufferByte) r.getDataBuffer()).getOffset();
        byte[] out = new byte[w * h * channels];
        System.arraycopy(src, offset, out, 0, out.length);
        return out;
    }

    /**
     * Converts an {@link Image8} to a {@link BufferedImage}: {@code TYPE_BYTE_GRAY} for 1 channel,
     * {@code TYPE_3BYTE_BGR} for 3 channels (the type every JPEG writer accepts). The pixels are copied.
     *
     * @param img the image
     * @return a new image
     */
    public static BufferedImage toBufferedImage(Image8 img) {
        int w = img.width();
        int h = img.height();
        byte[] src = img.data();
        if (img.channels() == 1) {
            BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
            byte[] dst = ((DataBufferByte) out.getRaster().getDataBuffer()).getData();
            System.arraycopy(src, 0, dst, 0, src.length);
            return out;
        }
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        byte[] dst = ((DataBufferByte) out.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < src.length; i += 3) {
            dst[i] = src[i + 2];
            dst[i + 1] = src[i + 1];
            dst[i + 2] = src[i];
        }
        return out;
    }

    // ------------------------------------------------------------------ writing

    /**
     * Writes {@code img} in the format named by the file extension; JPEG at {@link #DEFAULT_JPEG_QUALITY}.
     *
     * @param img  the image
     * @param file the file; its extension names the format
     * @throws IOException if a file cannot be read or written
     */
    public static void write(Image8 img, Path file) throws IOException {
        write(img, file, DEFAULT_JPEG_QUALITY);
    }

    /**
     * Writes {@code img} in the format named by the file extension, atomically.
     *
     * @param img         the image
     * @param file        the file; its extension names the format
     * @param jpegQuality JPEG quality in [0, 1] (ignored for the lossless formats)
     * @throws IOException              naming the file if the extension is not supported or writing fails
     * @throws IllegalArgumentException if the quality is outside [0, 1]
     */
    public static void write(Image8 img, Path file, float jpegQuality) throws IOException {
        write(toBufferedImage(img), img.toString(), file, jpegQuality);
    }

    /**
     * Writes a {@link BufferedImage} (a figure, a chart) in the format named by the file extension,
     * atomically; JPEG at {@link #DEFAULT_JPEG_QUALITY}.
     *
     * @param img  the image to write
     * @param file the file; its extension names the format
     * @throws IOException naming the file if the extension is not supported or writing fails
     */
    public static void write(BufferedImage img, Path file) throws IOException {
        write(img, img.getWidth() + "x" + img.getHeight() + " image", file, DEFAULT_JPEG_QUALITY);
    }

    private static void write(BufferedImage bi, String what, Path file, float jpegQuality) throws IOException {
        if (!(jpegQuality >= 0f && jpegQuality <= 1f)) {
            throw new IllegalArgumentException("JPEG quality must be in [0, 1], got " + jpegQuality);
        }
        String format = formatFor(file);
        AtomicFiles.write(file, out -> {
            ImageWriter writer = writerFor(file, format, bi);
            // Buffered in memory, not in a file of ImageIO's cache folder (the JVM's temp folder by default): a full
            // /tmp must not fail a write whose own folder has room. Per stream, since ImageIO.setUseCache is global.
            try (ImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
                writer.setOutput(ios);
                ImageWriteParam param = writer.getDefaultWriteParam();
                if ("jpeg".equals(format)) {
                    param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                    param.setCompressionQuality(jpegQuality);
                } else if ("tiff".equals(format) && param.canWriteCompressed()) {
                    // Uncompressed, as ALL-IDB2's files are.
                    param.setCompressionMode(ImageWriteParam.MODE_DISABLED);
                }
                writer.write(null, new IIOImage(bi, null, null), param);
                ios.flush();
            } catch (RuntimeException e) {
                throw new IOException(file + ": cannot encode " + what + " as " + format + ": " + e.getMessage(), e);
            } finally {
                writer.dispose();
            }
        });
    }

    private static String formatFor(Path file) throws IOException {
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        int dot = name.lastIndexOf('.');
        String ext = dot < 0 ? "" : name.substring(dot + 1);
        switch (ext) {
            case "png":
                return "png";
            case "jpg":
            case "jpeg":
                return "jpeg";
            case "bmp":
                return "bmp";
            case "tif":
            case "tiff":
                return "tiff";
            default:
                throw new IOException(file + ": cannot choose an image format from the extension '" + ext
                        + "'; expected .png, .jpg, .jpeg, .bmp, .tif or .tiff");
        }
    }

    private static ImageWriter writerFor(Path file, String format, BufferedImage img) throws IOException {
        Iterator<ImageWriter> writers = ImageIO.getImageWriters(ImageTypeSpecifier.createFromRenderedImage(img), format);
        if (!writers.hasNext()) {
            throw new IOException(file + ": no " + format + " writer for " + img.getColorModel());
        }
        return writers.next();
    }
}
