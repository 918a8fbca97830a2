package dev.vnet.cli.report;

import dev.vnet.core.nn.vnet.VNet;
import dev.vnet.core.nn.vnet.VNetConfig;
import dev.vnet.io.ImageFiles;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Stroke;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A drawing of a 2D {@link VNet} in its V shape, made from a {@link VNetConfig} and an input size: each
 * stage a box with its name, output channels × height × width, its 5×5 convolutions and its parameter
 * count; the 2×2 stride-2 convolutions down the left, the 2×2 stride-2 transposed convolutions up the
 * right, the skip connections across, and a ⊕ where a stage adds its input to the output of its
 * convolutions.
 *
 * <p>Shapes and parameter counts come from {@link VNet#layers(int, int)} of a model built from the
 * configuration, so the picture is the table of {@code vnet describe}, drawn.
 */
public final class ArchitectureDiagram {
    /** Width of the drawing in pixels. */
    public static final int WIDTH = 1600;
    /** Height of the drawing in pixels. */
    public static final int HEIGHT = 925;

    private static final int MARGIN = 40;
    private static final int BOX_W = 260;
    private static final int BOX_H = 100;
    private static final int SHIFT = 105;
    private static final int ROW = 140;
    private static final int TOP = 100;

    private static final Color INK = new Color(0x22, 0x28, 0x30);
    private static final Color MUTED = new Color(0x5a, 0x63, 0x6e);
    private static final Color DOWN_FILL = new Color(0xdc, 0xea, 0xf7);
    private static final Color DOWN_EDGE = new Color(0x2c, 0x6f, 0xad);
    private static final Color UP_FILL = new Color(0xfd, 0xe6, 0xd2);
    private static final Color UP_EDGE = new Color(0xc8, 0x65, 0x1b);
    private static final Color END_FILL = new Color(0xe4, 0xe7, 0xeb);
    private static final Color END_EDGE = new Color(0x50, 0x5a, 0x66);
    private static final Color SKIP = new Color(0x2f, 0x8a, 0x57);
    private static final Color CHIP = Color.WHITE;
    private static final Color DROP = new Color(0x9b, 0x30, 0x8c);

    private ArchitectureDiagram() {}

    /** Where a stage sits in the V. */
    public enum Kind {
        /** The input transition: 5×5 conv to the base width, residual of the input. */
        INPUT,
        /** A down stage: 2×2 stride-2 conv, 5×5 convs, residual sum. */
        DOWN,
        /** An up stage: 2×2 stride-2 transposed conv, concatenation with the skip, 5×5 convs, residual sum. */
        UP,
        /** The output transition: 5×5 conv, then a 1×1 conv to the logits. */
        OUTPUT
    }

    /**
     * One box of the drawing.
     *
     * @param name          the stage's module name ({@code in_tr}, {@code down_tr32}, ..., {@code out_tr})
     * @param kind          input, down, up or output
     * @param level         0 at full resolution, 4 at the bottleneck; the output transition is at −1
     * @param channels      output channels
     * @param height        output height (of the padded input)
     * @param width         output width (of the padded input)
     * @param convs         5×5 convolutions in the stage (for the input and output transitions, their one)
     * @param parameters    trainable parameters of the stage, its 2×2 (transposed) conv and batch norms included
     * @param skipChannels  for an up stage, channels concatenated from the encoder; 0 otherwise
     * @param dropout       whether the stage applies 2D dropout
     * @param projection    for the input transition, whether the residual is a learned 1×1 projection
     *                      rather than the input repeated across the channels
     */
    public record Stage(String name, Kind kind, int level, int channels, int height, int width, int convs,
                        long parameters, int skipChannels, boolean dropout, boolean projection) {}

    /**
     * The stages of the model {@code config} describes, for one {@code height × width} input, in the order
     * data flows through them.
     *
     * @param config the model's configuration
     * @param height the input's height in pixels
     * @param width  the input's width in pixels
     * @return one entry per stage, from the input transition to the output transition
     */
    public static List<Stage> stages(VNetConfig config, int height, int width) {
        return stages(new VNet(config, 0L).layers(height, width));
    }

    private static List<Stage> stages(List<VNet.Layer> layers) {
        Map<String, List<VNet.Layer>> byStage = new LinkedHashMap<>();
        for (VNet.Layer l : layers) {
            int dot = l.name().indexOf('.');
            if (dot > 0) {
                byStage.computeIfAbsent(l.name().substring(0, dot), k -> new ArrayList<>()).add(l);
            }
        }
        List<Stage> out = new ArrayList<>();
        int index = 0;
        for (var e : byStage.entrySet()) {
            String name = e.getKey();
            List<VNet.Layer> rows = e.getValue();
            Kind kind = name.equals("in_tr") ? Kind.INPUT : name.equals("out_tr") ? Kind.OUTPUT
                    : name.startsWith("down_") ? Kind.DOWN : Kind.UP;
            // Data-flow order: in_tr, four downs (levels 1..4), four ups (levels 3..0), out_tr.
            int level = index <= 4 ? index : index <= 8 ? 8 - index : -1;
            int[] shape = rows.get(rows.size() - 1).outputShape();
            long params = rows.stream().mapToLong(VNet.Layer::parameters).sum();
            int convs = (int) rows.stream().filter(l -> l.name().endsWith(".conv_block.conv")
                    && (kind == Kind.INPUT || kind == Kind.OUTPUT || l.name().contains(".ops."))).count();
            int skip = 0;
            if (kind == Kind.UP) {
                int up = find(rows, ".up_conv").outputShape()[1];
                skip = find(rows, ".cat").outputShape()[1] - up;
            }
            boolean dropout = rows.stream().anyMatch(l -> l.name().endsWith(".dropout"));
            boolean projection = rows.stream().anyMatch(l -> l.name().endsWith(".residual"));
            out.add(new Stage(name, kind, level, shape[1], shape[2], shape[3], convs, params, skip, dropout, projection));
            index++;
        }
        return out;
    }

    private static VNet.Layer find(List<VNet.Layer> rows, String suffix) {
        for (VNet.Layer l : rows) {
            if (l.name().endsWith(suffix)) {
                return l;
            }
        }
        throw new IllegalStateException("VNet.layers has no layer ending in " + suffix);
    }

    /**
     * Draws the model {@code config} describes for one {@code height × width} input.
     *
     * @param config the model's configuration
     * @param height the input's height in pixels
     * @param width  the input's width in pixels
     * @return a {@link #WIDTH} × {@link #HEIGHT} picture
     */
    public static BufferedImage draw(VNetConfig config, int height, int width) {
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException("ArchitectureDiagram: input size must be >= 1, got " + height + "×" + width);
        }
        VNet model = new VNet(config, 0L);
        List<VNet.Layer> layers = model.layers(height, width);
        List<Stage> stages = stages(layers);
        long total = layers.stream().mapToLong(VNet.Layer::parameters).sum();
        int paddedH = height + Math.floorMod(-height, 16);
        int paddedW = width + Math.floorMod(-width, 16);

        BufferedImage img = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEIGHT);
            drawTitle(g, config, height, width, total);
            drawInput(g, config.inChannels(), height, width, paddedH, paddedW);
            Stage previous = null;
            Map<Integer, Stage> encoder = new LinkedHashMap<>();
            for (Stage s : stages) {
                drawStage(g, s, config);
                if (s.kind() == Kind.INPUT || s.kind() == Kind.DOWN) {
                    encoder.put(s.level(), s);
                }
                if (s.kind() == Kind.UP && encoder.containsKey(s.level())) {
                    drawSkip(g, encoder.get(s.level()), s);
                }
                if (previous != null) {
                    drawTransition(g, previous, s);
                }
                previous = s;
            }
            drawInputArrow(g);
            if (paddedH != height || paddedW != width) {
                Stage last = stages.get(stages.size() - 1);
                text(g, "cropped back to " + height + " × " + width, small(), MUTED,
                        boxX(last) + BOX_W - 8 - width(g, small(), "cropped back to " + height + " × " + width),
                        boxY(last) - 8);
            }
            drawLegend(g, config);
        } finally {
            g.dispose();
        }
        return img;
    }

    /**
     * Draws the model {@code config} describes for one {@code height × width} input and writes it as a PNG.
     *
     * @param file   the PNG file to write
     * @param config the model's configuration
     * @param height the input's height in pixels
     * @param width  the input's width in pixels
     * @throws IOException if the file cannot be written
     */
    public static void write(Path file, VNetConfig config, int height, int width) throws IOException {
        ImageFiles.write(draw(config, height, width), file);
    }

    // ---- layout ---------------------------------------------------------------------------------------------

    private static int boxX(Stage s) {
        if (s.level() == 4) {
            return (WIDTH - BOX_W) / 2;
        }
        int step = (s.level() + 1) * SHIFT;
        return s.kind() == Kind.INPUT || s.kind() == Kind.DOWN ? MARGIN + step : WIDTH - MARGIN - BOX_W - step;
    }

    private static int boxY(Stage s) {
        return rowY(s.level());
    }

    private static int rowY(int level) {
        return TOP + (level + 1) * ROW;
    }

    // ---- pieces ---------------------------------------------------------------------------------------------

    private static void drawTitle(Graphics2D g, VNetConfig c, int h, int w, long total) {
        Font title = new Font(Font.SANS_SERIF, Font.BOLD, 24);
        text(g, "2D V-Net", title, INK, MARGIN, 44);
        String count = String.format(Locale.ROOT, "%,d trainable parameters", total);
        Font big = new Font(Font.SANS_SERIF, Font.BOLD, 18);
        text(g, count, big, INK, WIDTH - MARGIN - width(g, big, count), 44);
        String sub = String.format(Locale.ROOT,
                "input %d × %d × %d   ·   %s   ·   base width %d   ·   5×5 convs per stage: down %s, up %s   ·   %s",
                c.inChannels(), h, w, activationName(c.activation()), c.baseWidth(), counts(c.downConvs()),
                counts(c.upConvs()), c.dropout() > 0 ? "2D dropout " + fmt(c.dropout()) + " in the deepest stages" : "no dropout");
        text(g, sub, new Font(Font.SANS_SERIF, Font.PLAIN, 15), MUTED, MARGIN, 72);
    }

    private static void drawInput(Graphics2D g, int channels, int h, int w, int ph, int pw) {
        int x = MARGIN;
        int y = rowY(-1);
        box(g, x, y, BOX_W, BOX_H, END_FILL, END_EDGE);
        text(g, "input", bold(), INK, x + 12, y + 24);
        text(g, shape(channels, h, w), mono(), INK, x + 12, y + 46);
        String note = ph == h && pw == w ? "height and width multiples of 16: no padding"
                : "zero-padded to " + ph + " × " + pw + " (bottom, right)";
        text(g, note, small(), MUTED, x + 12, y + BOX_H - 14);
    }

    private static void drawInputArrow(Graphics2D g) {
        int x = MARGIN + SHIFT + (BOX_W - SHIFT) / 2;
        arrow(g, x, rowY(-1) + BOX_H, x, rowY(0), END_EDGE, false);
    }

    private static void drawStage(Graphics2D g, Stage s, VNetConfig c) {
        int x = boxX(s);
        int y = boxY(s);
        Color fill;
        Color edge;
        switch (s.kind()) {
            case DOWN -> { fill = DOWN_FILL; edge = DOWN_EDGE; }
            case UP -> { fill = UP_FILL; edge = UP_EDGE; }
            default -> { fill = END_FILL; edge = END_EDGE; }
        }
        if (s.level() == 4) {
            fill = new Color(0xe6, 0xe0, 0xf3);
            edge = new Color(0x5b, 0x4a, 0x9a);
        }
        box(g, x, y, BOX_W, BOX_H, fill, edge);
        text(g, s.name(), bold(), INK, x + 12, y + 24);
        String shape = shape(s.channels(), s.height(), s.width());
        text(g, shape, mono(), INK, x + 12, y + 46);
        if (s.dropout()) {
            String tag = "dropout " + fmt(c.dropout());
            int tw = width(g, small(), tag);
            g.setColor(DROP);
            g.draw(new RoundRectangle2D.Float(x + BOX_W - tw - 22, y + 9, tw + 12, 19, 8, 8));
            text(g, tag, small(), DROP, x + BOX_W - tw - 16, y + 23);
        }
        int chipsEnd = chips(g, s, x + 12, y + 56, edge);
        String params = String.format(Locale.ROOT, "%,d params", s.parameters());
        String detail = switch (s.kind()) {
            case INPUT -> s.projection() ? "residual: 1×1 conv" : "residual: input × " + (s.channels() / c.inChannels());
            case OUTPUT -> s.channels() == 1 ? "1 logit per pixel" : s.channels() + " logits per pixel";
            default -> s.convs() + (s.convs() == 1 ? " conv" : " convs");
        };
        text(g, detail, small(), MUTED, x + 12, y + BOX_H - 8);
        text(g, params, small(), INK, x + BOX_W - 12 - width(g, small(), params), y + BOX_H - 8);
        if (chipsEnd > x + BOX_W) {
            throw new IllegalStateException("stage " + s.name() + " does not fit its box");
        }
    }

    /** The row of 5×5 conv chips and the residual ⊕ with its bypass; returns the x where the row ends. */
    private static int chips(Graphics2D g, Stage s, int x, int y, Color edge) {
        int chipW = 38;
        int chipH = 20;
        int gap = 8;
        int mid = y + chipH / 2;
        List<String> labels = new ArrayList<>();
        int n = s.convs();
        if (n > 4) {
            labels.add("5×5 ×" + n);
        } else {
            for (int i = 0; i < n; i++) {
                labels.add("5×5");
            }
        }
        if (s.kind() == Kind.OUTPUT) {
            labels.add("1×1");
        }
        g.setStroke(new BasicStroke(1.4f));
        int cx = x + 10;
        g.setColor(edge);
        g.drawLine(x, mid, cx, mid);
        int bypassFrom = x + 4;
        if (s.kind() == Kind.UP) {
            // The concatenation comes first; the residual adds the concatenated tensor.
            String cat = "cat +" + s.skipChannels();
            int w = width(g, tiny(), cat) + 12;
            g.setColor(CHIP);
            g.fill(new RoundRectangle2D.Float(cx - 10, y, w, chipH, 6, 6));
            g.setColor(SKIP);
            g.draw(new RoundRectangle2D.Float(cx - 10, y, w, chipH, 6, 6));
            text(g, cat, tiny(), SKIP, cx - 4, y + 14);
            cx += w - 10;
            g.setColor(edge);
            g.drawLine(cx, mid, cx + gap + 4, mid);
            bypassFrom = cx + 6;
            cx += gap + 4;
        }
        for (String label : labels) {
            int w = Math.max(chipW, width(g, tiny(), label) + 12);
            g.setColor(CHIP);
            g.fill(new RoundRectangle2D.Float(cx, y, w, chipH, 6, 6));
            g.setColor(edge);
            g.draw(new RoundRectangle2D.Float(cx, y, w, chipH, 6, 6));
            text(g, label, tiny(), INK, cx + (w - width(g, tiny(), label)) / 2, y + 14);
            g.setColor(edge);
            g.drawLine(cx + w, mid, cx + w + gap, mid);
            cx += w + gap;
        }
        if (s.kind() == Kind.OUTPUT) {
            return cx;
        }
        int r = 9;
        int ox = cx + r + (labels.isEmpty() ? 8 : 0);
        if (labels.isEmpty()) {
            g.drawLine(cx, mid, ox - r, mid);
        }
        // The bypass: the stage's input goes around its convolutions into the sum.
        int top = y - 5;
        Path2D.Float bypass = new Path2D.Float();
        bypass.moveTo(bypassFrom, mid);
        bypass.lineTo(bypassFrom, top);
        bypass.lineTo(ox, top);
        bypass.lineTo(ox, mid - r - 1);
        g.setColor(edge);
        g.draw(bypass);
        g.setColor(Color.WHITE);
        g.fill(new Ellipse2D.Float(ox - r, mid - r, 2 * r, 2 * r));
        g.setColor(edge);
        g.setStroke(new BasicStroke(1.8f));
        g.draw(new Ellipse2D.Float(ox - r, mid - r, 2 * r, 2 * r));
        g.drawLine(ox - r + 4, mid, ox + r - 4, mid);
        g.drawLine(ox, mid - r + 4, ox, mid + r - 4);
        g.setStroke(new BasicStroke(1.4f));
        g.drawLine(ox + r, mid, ox + r + 10, mid);
        return ox + r + 10;
    }

    /** The 2×2 stride-2 conv (or transposed conv) from one stage to the next, or the output arrow. */
    private static void drawTransition(Graphics2D g, Stage from, Stage to) {
        int fx = boxX(from);
        int tx = boxX(to);
        int lo = Math.max(fx, tx);
        int hi = Math.min(fx, tx) + BOX_W;
        int ax = (lo + hi) / 2;
        boolean down = to.level() > from.level();
        int y0 = down ? boxY(from) + BOX_H : boxY(from);
        int y1 = down ? boxY(to) : boxY(to) + BOX_H;
        Color c = to.kind() == Kind.DOWN ? DOWN_EDGE : to.kind() == Kind.UP ? UP_EDGE : END_EDGE;
        arrow(g, ax, y0, ax, y1, c, true);
        if (to.kind() == Kind.OUTPUT) {
            return;
        }
        String l1 = to.kind() == Kind.DOWN ? "2×2 conv, stride 2" : "2×2 transposed, stride 2";
        String l2 = to.kind() == Kind.DOWN ? "H, W ÷ 2   channels × 2" : "H, W × 2   channels ÷ 2";
        Font f = small();
        int ym = (Math.min(y0, y1) + Math.max(y0, y1)) / 2;
        if (to.kind() == Kind.DOWN) {
            int right = ax - 12;
            text(g, l1, f, c, right - width(g, f, l1), ym - 2);
            text(g, l2, f, MUTED, right - width(g, f, l2), ym + 14);
        } else {
            int left = ax + 12;
            text(g, l1, f, c, left, ym - 2);
            text(g, l2, f, MUTED, left, ym + 14);
        }
    }

    private static void drawSkip(Graphics2D g, Stage enc, Stage dec) {
        int x0 = boxX(enc) + BOX_W;
        int x1 = boxX(dec);
        int y = boxY(enc) + BOX_H / 2;
        Stroke dashed = new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {9f, 6f}, 0f);
        g.setColor(SKIP);
        g.setStroke(dashed);
        g.drawLine(x0 + 4, y, x1 - 10, y);
        head(g, x1 - 2, y, 1, 0, SKIP);
        String label = "skip: concat " + enc.channels() + " ch";
        Font f = small();
        text(g, label, f, SKIP, (x0 + x1 - width(g, f, label)) / 2, y - 8);
    }

    private static void drawLegend(Graphics2D g, VNetConfig c) {
        int x = MARGIN;
        int y = HEIGHT - 18 - 20 * 4 - 24;
        Font f = small();
        String act = activationName(c.activation());
        String[] lines = {
            "5×5  conv (padding 2, no bias) → batch norm → " + act + " (in in_tr the " + act + " follows the ⊕)",
            "⊕    residual sum: stage input + output of its 5×5 convs, then " + act,
            "- -  skip connection: encoder output concatenated to the upsampled features",
            "params: the stage's 2×2 (transposed) conv, convs and batch norms",
            "shapes: channels × height × width of the stage's output",
        };
        text(g, "legend", bold(), INK, x, y);
        for (int i = 0; i < lines.length; i++) {
            text(g, lines[i], f, i < 3 ? INK : MUTED, x, y + 24 + 20 * i);
        }
    }

    // ---- drawing helpers ------------------------------------------------------------------------------------

    private static void box(Graphics2D g, int x, int y, int w, int h, Color fill, Color edge) {
        RoundRectangle2D.Float r = new RoundRectangle2D.Float(x, y, w, h, 14, 14);
        g.setColor(fill);
        g.fill(r);
        g.setColor(edge);
        g.setStroke(new BasicStroke(2f));
        g.draw(r);
    }

    private static void arrow(Graphics2D g, int x0, int y0, int x1, int y1, Color c, boolean thick) {
        g.setColor(c);
        g.setStroke(new BasicStroke(thick ? 3f : 2f));
        double len = Math.hypot(x1 - x0, y1 - y0);
        double ux = (x1 - x0) / len;
        double uy = (y1 - y0) / len;
        g.drawLine(x0, y0, (int) Math.round(x1 - ux * 9), (int) Math.round(y1 - uy * 9));
        head(g, x1, y1, ux, uy, c);
    }

    private static void head(Graphics2D g, int x, int y, double ux, double uy, Color c) {
        double size = 11;
        double px = -uy;
        double py = ux;
        Path2D.Double p = new Path2D.Double();
        p.moveTo(x, y);
        p.lineTo(x - ux * size + px * size * 0.5, y - uy * size + py * size * 0.5);
        p.lineTo(x - ux * size - px * size * 0.5, y - uy * size - py * size * 0.5);
        p.closePath();
        g.setColor(c);
        g.fill(p);
    }

    private static void text(Graphics2D g, String s, Font f, Color c, int x, int y) {
        g.setFont(f);
        g.setColor(c);
        g.drawString(s, x, y);
    }

    private static int width(Graphics2D g, Font f, String s) {
        FontMetrics m = g.getFontMetrics(f);
        return m.stringWidth(s);
    }

    private static Font bold() {
        return new Font(Font.SANS_SERIF, Font.BOLD, 16);
    }

    private static Font mono() {
        return new Font(Font.MONOSPACED, Font.PLAIN, 14);
    }

    private static Font small() {
        return new Font(Font.SANS_SERIF, Font.PLAIN, 13);
    }

    private static Font tiny() {
        return new Font(Font.SANS_SERIF, Font.PLAIN, 11);
    }

    private static String shape(int c, int h, int w) {
        return c + " × " + h + " × " + w;
    }

    private static String counts(int[] a) {
        return Arrays.stream(a).mapToObj(Integer::toString).collect(Collectors.joining(","));
    }

    private static String fmt(float v) {
        return String.format(Locale.ROOT, "%.2f", v).replaceAll("0+$", "").replaceAll("\\.$", "");
    }

    private static String activationName(VNetConfig.Activation a) {
        return switch (a) {
            case RELU -> "ReLU";
            case PRELU -> "PReLU";
            case ELU -> "ELU";
        };
    }
}
