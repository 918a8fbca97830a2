package dev.vnet.serve;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.vnet.io.ImageFiles;
import dev.vnet.io.XycParser;
import dev.vnet.ops.Image8;
import dev.vnet.train.Segmenter;
import dev.vnet.train.detect.DetectedCell;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * One analysed photograph, kept for its downloads: the image, the cells at the model's threshold (what
 * {@code vnet segment} gives), every candidate peak down to the decoder's floor (so a client re-filters at another
 * threshold without a new request), the image-level score and call, and the heat-map as a PNG.
 *
 * @param id          the result's id: 32 random hex digits, not guessable from another's
 * @param name        a file name for downloads, from the upload's own (letters, digits, {@code . _ -} only)
 * @param image       the decoded photograph
 * @param result      the mask and the cells at the model's cell threshold
 * @param candidates  every cell down to the decoder's floor, highest score first (a mask model's: its cells)
 * @param score       the image score
 * @param calledAll   whether the image score reaches the image threshold
 * @param heatmapPng  the heat-map at the working scale, red with its value as opacity, as PNG bytes
 * @param timings     milliseconds: {@code queue}, {@code decode}, {@code inference}, {@code encode}
 */
record Analysis(String id, String name, Image8 image, Segmenter.Result result, List<DetectedCell> candidates,
                float score, boolean calledAll, byte[] heatmapPng, Timings timings) {

    /**
     * Where the time of one request went, in milliseconds.
     *
     * @param queue     waiting for a worker
     * @param decode    the upload decoded to pixels
     * @param inference the network and the peak decoder
     * @param encode    the heat-map PNG and the JSON
     */
    record Timings(double queue, double decode, double inference, double encode) {}

    /** {@return the cells at {@code threshold}, or the model's own cells when it is null} */
    List<DetectedCell> cellsAt(Float threshold) {
        if (threshold == null) {
            return result.cells();
        }
        List<DetectedCell> out = new ArrayList<>();
        for (DetectedCell c : candidates) {
            if (c.score() >= threshold) {
                out.add(c);
            }
        }
        return out;
    }

    /** {@return the download file names of this result: those {@code vnet segment} writes for an image of this name} */
    Segmenter.Outputs files() {
        return Segmenter.outputs(Path.of(name), Path.of(""));
    }

    static byte[] png(BufferedImage image) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, "png", out)) {
                throw new IllegalStateException("no PNG writer in this Java runtime");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static byte[] png(Image8 image) {
        return png(ImageFiles.toBufferedImage(image));
    }

    /**
     * {@return the heat-map as an image to lay over the photograph: red, opaque where the network is sure}
     *
     * @param map    values in [0, 1], {@code height × width} row-major
     * @param width  its width
     * @param height its height
     */
    static byte[] heatmapPng(float[] map, int width, int height) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
        int[] argb = new int[width * height];
        for (int i = 0; i < argb.length; i++) {
            float v = Math.max(0, Math.min(1, map[i]));
            int alpha = Math.round(v * 230);
            argb[i] = alpha << 24 | 0xFF << 16 | Math.round(160 * (1 - v)) << 8;
        }
        img.setRGB(0, 0, width, height, argb, 0, width);
        return png(img);
    }

    static byte[] xyc(Segmenter.Result r) {
        return XycParser.format(r.centres());
    }

    static JsonArray cellsJson(List<DetectedCell> cells) {
        JsonArray a = new JsonArray();
        for (DetectedCell c : cells) {
            JsonObject o = new JsonObject();
            o.addProperty("x", c.x());
            o.addProperty("y", c.y());
            o.addProperty("score", c.score());
            a.add(o);
        }
        return a;
    }
}
