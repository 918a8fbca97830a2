package dev.vnet.examples;

import dev.vnet.ops.Point;
import dev.vnet.train.Segmenter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Segments the blast cells of one image with a trained checkpoint: writes {@code <name>_mask.png} (255 on blast
 * pixels, at the image's own size), {@code <name>_overlay.png} (the mask drawn over the image, the cells numbered with
 * their scores), {@code <name>.xyc} (the detected centres, as ALL-IDB1 lists them), {@code <name>_cells.csv} and
 * {@code <name>.geojson} (the cells for a spreadsheet and for QuPath), and prints the count.
 *
 * <p>Usage: {@code SegmentImage CHECKPOINT IMAGE [OUT_FOLDER]}; the output folder defaults to the image's folder.
 * The checkpoint is a {@code .safetensors} file written by the trainer, e.g.
 * {@code runs/paper/checkpoints/best.safetensors}.
 */
public final class SegmentImage {
    private SegmentImage() {}

    /**
     * Segments and prints the count and the centres.
     *
     * @param args the checkpoint, the image and, optionally, the output folder
     * @throws IOException if a file cannot be read or written
     */
    public static void main(String[] args) throws IOException {
        if (args.length < 2 || args.length > 3) {
            System.err.println("""
                    usage: SegmentImage CHECKPOINT IMAGE [OUT_FOLDER]
                      CHECKPOINT  a .safetensors file written by the trainer (e.g. runs/paper/checkpoints/best.safetensors)
                      IMAGE       a JPEG, PNG, TIFF or BMP image of a blood smear, of any size
                      OUT_FOLDER  where <name>_mask.png, _overlay.png, .xyc, _cells.csv and .geojson go (default: the image's folder)""");
            System.exit(2);
        }
        Path checkpoint = Path.of(args[0]);
        Path image = Path.of(args[1]);
        for (Path p : new Path[] {checkpoint, image}) {
            if (!Files.isRegularFile(p)) {
                System.err.println(p + " does not exist or is not a file");
                System.exit(2);
            }
        }
        Path out = args.length > 2 ? Path.of(args[2]) : image.toAbsolutePath().getParent();

        Segmenter segmenter = Segmenter.load(checkpoint);
        Segmenter.Result result = segmenter.segmentFile(image, out);

        System.out.println(image.getFileName() + ": " + result.count() + " blast" + (result.count() == 1 ? "" : "s")
                + " (mask, overlay and centres in " + out + ")");
        for (Point c : result.centres()) {
            System.out.println("  x " + c.x() + ", y " + c.y());
        }
    }
}
