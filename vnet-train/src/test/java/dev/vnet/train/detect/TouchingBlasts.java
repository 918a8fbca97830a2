package dev.vnet.train.detect;

import dev.vnet.io.data.Sample;
import dev.vnet.io.synth.SyntheticSmear;
import dev.vnet.ops.CircleMask;
import dev.vnet.ops.ConnectedComponents;
import dev.vnet.ops.Image8;
import dev.vnet.ops.Point;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Synthetic smears with touching blasts: next to some blasts of a rendered smear, a copy of that blast is pasted with
 * its centre 0.8 to 1 diameters away (nuclei pressed together, as a third of ALL-IDB1's blasts are), where no other
 * white cell is, and labelled.
 */
final class TouchingBlasts {
    private TouchingBlasts() {}

    static Sample of(SyntheticSmear s, long seed) {
        Random rnd = new Random(seed);
        Image8 img = s.image().copy();
        List<Point> centres = new ArrayList<>(s.blastCentres());
        for (SyntheticSmear.Cell b : s.blasts()) {
            double r = b.radius();
            for (int attempt = 0; attempt < 30; attempt++) {
                double angle = rnd.nextDouble() * 2 * Math.PI;
                double d = 2 * r * (0.8 + 0.2 * rnd.nextDouble());
                int nx = (int) Math.round(b.x() + d * Math.cos(angle));
                int ny = (int) Math.round(b.y() + d * Math.sin(angle));
                if (nx < r + 2 || ny < r + 2 || nx > img.width() - r - 3 || ny > img.height() - r - 3
                        || crowded(s.cells(), b, centres, nx, ny, r)) {
                    continue;
                }
                paste(img, b.x(), b.y(), nx, ny, r * 1.05);
                centres.add(new Point(nx, ny));
                break;
            }
        }
        return Sample.ofImage(s.name(), img, centres, s.all());
    }

    private static boolean crowded(List<SyntheticSmear.Cell> cells, SyntheticSmear.Cell source, List<Point> centres,
                                   int x, int y, double r) {
        for (SyntheticSmear.Cell c : cells) {
            if (c != source && Math.hypot(c.x() - x, c.y() - y) < 1.1 * (c.radius() + r)) {
                return true;
            }
        }
        for (Point p : centres) {
            if ((p.x() != source.x() || p.y() != source.y()) && Math.hypot(p.x() - x, p.y() - y) < 2 * r) {
                return true;
            }
        }
        return false;
    }

    /** Copies the disc of radius {@code r} at (sx, sy) to (dx, dy), its last two pixels blended into what is there. */
    private static void paste(Image8 img, int sx, int sy, int dx, int dy, double r) {
        Image8 src = img.copy();
        int reach = (int) Math.ceil(r);
        for (int y = -reach; y <= reach; y++) {
            for (int x = -reach; x <= reach; x++) {
                double dist = Math.hypot(x, y);
                if (dist > r) {
                    continue;
                }
                double a = Math.min(1, (r - dist) / 2);
                for (int ch = 0; ch < 3; ch++) {
                    int v = (int) Math.round(a * src.get(sx + x, sy + y, ch) + (1 - a) * src.get(dx + x, dy + y, ch));
                    img.set(dx + x, dy + y, ch, v);
                }
            }
        }
    }

    /**
     * {@return for the labelled pairs within {@code pairDistance}: how many there are, and how many the connected
     * components of the true discs of radius {@code r} (the method's target, a perfect mask model's output) merge}
     */
    static int[] pairsMergedByComponents(Sample s, int r, double pairDistance) {
        Image8 mask = CircleMask.discs(s.image().width(), s.image().height(), s.centres(), r);
        ConnectedComponents.Result cc = ConnectedComponents.label(mask);
        List<Point> c = s.centres();
        int pairs = 0;
        int merged = 0;
        for (int i = 0; i < c.size(); i++) {
            for (int j = i + 1; j < c.size(); j++) {
                if (Math.hypot(c.get(i).x() - c.get(j).x(), c.get(i).y() - c.get(j).y()) <= pairDistance) {
                    pairs++;
                    merged += cc.labelAt(c.get(i).x(), c.get(i).y()) == cc.labelAt(c.get(j).x(), c.get(j).y()) ? 1 : 0;
                }
            }
        }
        return new int[] {pairs, merged};
    }
}
