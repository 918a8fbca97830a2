package dev.vnet.io.synth;

import dev.vnet.io.ImageFiles;
import dev.vnet.ops.Image8;
import dev.vnet.ops.Patches;
import dev.vnet.ops.Point;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Tiles a few images into one picture, each scaled to the same width, with an optional caption
 * and optional circles at given centres (blast centres, for example), so a reader sees at a
 * glance what a data set looks like.
 *
 * <p>{@link #main} writes the documentation's {@code docs/images/synthetic-contact-sheet.png}:
 * <pre>
 * tools/synthetic-contact-sheet.sh [OUT.png [REAL_PHOTO...]]
 * </pre>
 */
public final class ContactSheet {
    private static final int GAP = 6;
    private static final int CAPTION_HEIGHT = 22;
    private static final int COLUMNS = 5;

    private final int columns;
    private final int tileWidth;
    private final List<Tile> tiles = new ArrayList<>();

    private record Tile(BufferedImage image, String caption, List<int[]> circles, double radius) {}

    /**
     * An empty sheet.
     *
     * @param columns   tiles per row, at least 1
     * @param tileWidth width of every tile in pixels, at least 16; heights keep each image's aspect ratio
     */
    public ContactSheet(int columns, int tileWidth) {
        if (columns < 1 || tileWidth < 16) {
            throw new IllegalArgumentException("contact sheet needs columns >= 1 and tileWidth >= 16, got "
                    + columns + " and " + tileWidth);
        }
        this.columns = columns;
        this.tileWidth = tileWidth;
    }

    /**
     * Adds a tile.
     *
     * @param image   an RGB or gray image
     * @param caption text under the tile, or {@code null}
     * @param circles centres {x, y} in the image's own pixels to circle, or an empty list
     * @param radius  circle radius in the image's own pixels
     * @return this sheet
     */
    public ContactSheet add(Image8 image, String caption, List<int[]> circles, double radius) {
        tiles.add(new Tile(ImageFiles.toBufferedImage(image), caption, List.copyOf(circles), radius));
        return this;
    }

    /**
     * Adds a synthetic smear with its blasts circled and its name as caption.
     *
     * @param smear the smear
     * @return {@code this}
     */
    public ContactSheet add(SyntheticSmear smear) {
        List<int[]> centres = smear.blasts().stream().map(c -> new int[] {c.x(), c.y()}).toList();
        double radius = smear.blasts().stream().mapToDouble(SyntheticSmear.Cell::radius).average()
                .orElse(SmearGenerator.nominalBlastRadius(smear.image().width())) * 1.35;
        String size = smear.image().width() + "x" + smear.image().height();
        return add(smear.image(), smear.name() + " " + size + (smear.all() ? " (ALL, blasts circled)" : " (healthy)"),
                centres, radius);
    }

    /** {@return the number of tiles added} */
    public int size() {
        return tiles.size();
    }

    /**
     * Draws the sheet: tiles left to right, top to bottom, on a white background.
     *
     * @return the sheet
     */
    public BufferedImage render() {
        if (tiles.isEmpty()) {
            throw new IllegalStateException("contact sheet has no tiles");
        }
        int rows = (tiles.size() + columns - 1) / columns;
        int[] rowHeights = new int[rows];
        for (int i = 0; i < tiles.size(); i++) {
            rowHeights[i / columns] = Math.max(rowHeights[i / columns], tileHeight(tiles.get(i)));
        }
        int cols = Math.min(columns, tiles.size());
        int width = GAP + cols * (tileWidth + GAP);
        int height = GAP;
        for (int h : rowHeights) {
            height += h + CAPTION_HEIGHT + GAP;
        }
        BufferedImage sheet = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = sheet.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            int y = GAP;
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    int i = r * columns + c;
                    if (i >= tiles.size()) {
                        break;
                    }
                    drawTile(g, tiles.get(i), GAP + c * (tileWidth + GAP), y);
                }
                y += rowHeights[r] + CAPTION_HEIGHT + GAP;
            }
        } finally {
            g.dispose();
        }
        return sheet;
    }

    /**
     * Renders the sheet and writes it as a PNG file, creating the parent folder.
     *
     * @param png the PNG file to write
     * @throws IOException if a file cannot be read or written
     */
    public void write(Path png) throws IOException {
        BufferedImage sheet = render();
        Path parent = png.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        ImageFiles.write(sheet, png);
    }

    private int tileHeight(Tile t) {
        return (int) Math.round((double) t.image.getHeight() * tileWidth / t.image.getWidth());
    }

    private void drawTile(Graphics2D g, Tile t, int x, int y) {
        int h = tileHeight(t);
        // Downscale in halving steps so fine texture is averaged rather than aliased.
        BufferedImage src = t.image;
        while (src.getWidth() >= 2 * tileWidth) {
            BufferedImage half = new BufferedImage(src.getWidth() / 2, src.getHeight() / 2, BufferedImage.TYPE_INT_RGB);
            Graphics2D hg = half.createGraphics();
            hg.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            hg.drawImage(src, 0, 0, half.getWidth(), half.getHeight(), null);
            hg.dispose();
            src = half;
        }
        g.drawImage(src, x, y, tileWidth, h, null);
        double scale = (double) tileWidth / t.image.getWidth();
        g.setColor(new Color(20, 200, 60));
        g.setStroke(new BasicStroke(2f));
        for (int[] c : t.circles) {
            double r = t.radius * scale;
            g.drawOval((int) Math.round(x + c[0] * scale - r), (int) Math.round(y + c[1] * scale - r),
                    (int) Math.round(2 * r), (int) Math.round(2 * r));
        }
        if (t.caption != null) {
            g.setColor(Color.DARK_GRAY);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
            g.drawString(t.caption, x + 2, y + h + CAPTION_HEIGHT - 7);
        }
    }

    /**
     * Writes the documentation's contact sheet. First row: whole synthetic smears of both cameras (ALL ones with
     * their labelled blasts circled, healthy ones). Second row: 640×480 windows of synthetic smears at the
     * camera's own pixels next to the real photographs given (BCCD's are 640×480 at about the same magnification),
     * all at the same scale. Third row: one cell of each kind, enlarged.
     *
     * @param args output PNG path, then optional paths of real photographs
     * @throws IOException if a file cannot be read or written
     */
    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: ContactSheet OUT.png [REAL_PHOTO...]");
            System.exit(2);
        }
        List<SyntheticSmear> smears1712 = render(SmearConfig.realistic(Camera.CAMERA_1712).withImageCount(2)
                .withAllFraction(1));
        List<SyntheticSmear> smears2592 = render(SmearConfig.realistic(Camera.CAMERA_2592).withImageCount(3)
                .withAllFraction(0.34).withSeed(2));
        List<SyntheticSmear> all = new ArrayList<>(smears1712);
        all.addAll(smears2592);
        ContactSheet sheet = new ContactSheet(COLUMNS, 260);
        for (int i = 0; i < COLUMNS; i++) {
            sheet.add(all.get(i));
        }
        // Windows of 640x480 at the camera's own pixels, centred on a white cell, next to the real photographs.
        int real = Math.min(2, args.length - 1);
        for (int i = 0; i < COLUMNS - real; i++) {
            SyntheticSmear smear = all.get(i);
            SyntheticSmear.Cell c = smear.cells().get(0);
            sheet.add(Patches.crop(smear.image(), new Point(c.x(), c.y()), 640, 480, Patches.Border.SHIFT_INSIDE),
                    "640x480 of " + smear.name() + " (" + smear.image().width() + " wide)", List.of(), 0);
        }
        for (int i = 1; i <= real; i++) {
            Path p = Path.of(args[i]);
            sheet.add(ImageFiles.readRgb(p), "real: " + p.getFileName(), List.of(), 0);
        }
        for (SyntheticSmear.CellType type : SyntheticSmear.CellType.values()) {
            for (SyntheticSmear smear : all) {
                var cell = smear.cells().stream().filter(c -> c.type() == type).findFirst();
                if (cell.isPresent()) {
                    sheet.add(Patches.crop(smear.image(), new Point(cell.get().x(), cell.get().y()), 240, 180,
                            Patches.Border.SHIFT_INSIDE),
                            type.name().toLowerCase(java.util.Locale.ROOT) + " (" + smear.name() + ", enlarged)",
                            List.of(), 0);
                    break;
                }
            }
        }
        Path out = Path.of(args[0]);
        sheet.write(out);
        System.out.println("wrote " + out + " (" + Files.size(out) + " bytes)");
    }

    private static List<SyntheticSmear> render(SmearConfig config) {
        SmearGenerator gen = new SmearGenerator(config);
        List<SyntheticSmear> out = new ArrayList<>();
        for (int i = 0; i < config.imageCount(); i++) {
            out.add(gen.render(i));
        }
        return out;
    }
}
