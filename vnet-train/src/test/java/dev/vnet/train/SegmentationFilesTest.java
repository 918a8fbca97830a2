package dev.vnet.train;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.vnet.io.ImageFiles;
import dev.vnet.io.XycParser;
import dev.vnet.ops.CircleMask;
import dev.vnet.ops.Image8;
import dev.vnet.ops.Point;
import dev.vnet.train.detect.DetectedCell;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SegmentationFilesTest {
    @TempDir
    Path tmp;

    private static final List<DetectedCell> CELLS = List.of(new DetectedCell(40.4, 30.6, 0.93f, 310.5),
            new DetectedCell(100.0, 70.25, 0.41f, 290));

    private static Segmenter.Result result() {
        Image8 mask = CircleMask.discs(160, 120, new Segmenter.Result(null, CELLS).centres(), 10);
        return new Segmenter.Result(mask, CELLS);
    }

    @Test
    void theCellsCsvNumbersEveryCellWithItsCentreScoreAndArea() {
        List<String> lines = SegmentationFiles.cellsCsv(CELLS).lines().toList();
        assertThat(lines).containsExactly("cell,x,y,score,area", "1,40.40,30.60,0.9300,310.5",
                "2,100.00,70.25,0.4100,290.0");
        assertThat(SegmentationFiles.cellsCsv(List.of()).lines().toList()).containsExactly("cell,x,y,score,area");
    }

    @Test
    void theGeoJsonIsAFeatureCollectionOfBlastPointsInOriginalPixels() {
        JsonObject geo = JsonParser.parseString(SegmentationFiles.geoJson(CELLS)).getAsJsonObject();
        assertThat(geo.get("type").getAsString()).isEqualTo("FeatureCollection");
        JsonArray features = geo.getAsJsonArray("features");
        assertThat(features).hasSize(2);
        for (int i = 0; i < 2; i++) {
            JsonObject f = features.get(i).getAsJsonObject();
            assertThat(f.get("type").getAsString()).isEqualTo("Feature");
            JsonObject g = f.getAsJsonObject("geometry");
            assertThat(g.get("type").getAsString()).isEqualTo("Point");
            assertThat(g.getAsJsonArray("coordinates").get(0).getAsDouble()).isEqualTo(CELLS.get(i).x());
            assertThat(g.getAsJsonArray("coordinates").get(1).getAsDouble()).isEqualTo(CELLS.get(i).y());
            JsonObject p = f.getAsJsonObject("properties");
            assertThat(p.getAsJsonObject("classification").get("name").getAsString()).isEqualTo("Blast");
            assertThat(p.get("score").getAsFloat()).isEqualTo(CELLS.get(i).score());
            assertThat(p.get("area").getAsDouble()).isEqualTo(CELLS.get(i).area());
            assertThat(p.get("name").getAsString()).isEqualTo(Integer.toString(i + 1));
        }
        assertThat(JsonParser.parseString(SegmentationFiles.geoJson(List.of())).getAsJsonObject()
                .getAsJsonArray("features")).isEmpty();
    }

    @Test
    void theOverlayCirclesEveryCellAndLeavesTheRestOfTheImage() {
        Image8 gray = new Image8(160, 120, 3);
        Arrays.fill(gray.data(), (byte) 128);
        BufferedImage overlay = SegmentationFiles.overlay(gray, result(), 12);
        assertThat(overlay.getWidth()).isEqualTo(160);
        assertThat(overlay.getHeight()).isEqualTo(120);
        for (DetectedCell c : CELLS) {
            // The circle passes 12 px left of the centre, in yellow (red and green high, blue low).
            assertThat(yellowNear(overlay, (int) Math.round(c.x()) - 12, (int) Math.round(c.y())))
                    .as("circle of %s", c).isTrue();
        }
        assertThat(overlay.getRGB(5, 115) & 0xFFFFFF).as("far from any cell").isEqualTo(0x808080);
    }

    private static boolean yellowNear(BufferedImage img, int x, int y) {
        for (int dy = -1; dy <= 1; dy++) {
            for (int dx = -1; dx <= 1; dx++) {
                int rgb = img.getRGB(x + dx, y + dy);
                if (((rgb >> 16) & 0xFF) > 200 && ((rgb >> 8) & 0xFF) > 200 && (rgb & 0xFF) < 100) {
                    return true;
                }
            }
        }
        return false;
    }

    @Test
    void writeGivesFiveFilesThatAgreeOnTheCells() throws Exception {
        Image8 image = new Image8(160, 120, 3);
        Segmenter.Outputs files = Segmenter.outputs(tmp.resolve("Im007_1.jpg"), tmp.resolve("out"));
        SegmentationFiles.write(files, image, result(), 0);
        assertThat(files.all()).allMatch(Files::isRegularFile);
        assertThat(XycParser.read(files.xyc())).containsExactly(new Point(40, 31), new Point(100, 70));
        assertThat(ImageFiles.read(files.mask()).width()).isEqualTo(160);
        assertThat(Files.readAllLines(files.cells())).hasSize(3);
    }

    @Test
    void countsCsvQuotesPathsThatHoldACommaAndNamesTheFiles() {
        Path out = tmp.resolve("out");
        Path odd = Path.of("a,b", "x.jpg");
        String csv = SegmentationFiles.countsCsv(List.of(
                new SegmentationFiles.CountsRow(Path.of("y.png"), 3, Segmenter.outputs(Path.of("y.png"), out)),
                new SegmentationFiles.CountsRow(odd, 0, Segmenter.outputs(odd, out))));
        assertThat(csv.lines().toList()).containsExactly("image,count,mask,overlay,xyc,cells,geojson",
                "y.png,3,y_mask.png,y_overlay.png,y.xyc,y_cells.csv,y.geojson",
                "\"" + odd + "\",0,x_mask.png,x_overlay.png,x.xyc,x_cells.csv,x.geojson");
    }
}
