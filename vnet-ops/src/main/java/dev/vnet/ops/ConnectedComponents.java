package dev.vnet.ops;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Connected components of a binary mask with 8-connectivity (pixels touching at an edge or a corner
 * belong together), with each component's area, bounding box and centroid: the same components and
 * statistics as {@code cv2.connectedComponentsWithStats(mask, connectivity=8)}. Components are numbered
 * 1, 2, ... in the order their first pixel appears in a row-by-row scan; 0 is the background.
 */
public final class ConnectedComponents {
    private ConnectedComponents() {}

    /**
     * One component.
     *
     * @param label     1-based number, as in {@link Result#labels()}
     * @param area      pixel count
     * @param left      first column
     * @param top       first row
     * @param width     columns spanned
     * @param height    rows spanned
     * @param centroidX mean column of its pixels
     * @param centroidY mean row of its pixels
     */
    public record Component(int label, int area, int left, int top, int width, int height,
                            double centroidX, double centroidY) {
        /** The pixel nearest the centroid (rounded half up), for turning a component back into a cell position. */
        public Point centre() {
            return new Point((int) Math.floor(centroidX + 0.5), (int) Math.floor(centroidY + 0.5));
        }
    }

    /**
     * The labelling of a mask.
     *
     * @param width      mask width
     * @param height     mask height
     * @param labels     per pixel, row-major: 0 for background, else the component's label
     * @param components the components, {@code components.get(i).label() == i + 1}
     */
    public record Result(int width, int height, int[] labels, List<Component> components) {
        /** Number of components (background not counted). */
        public int count() {
            return components.size();
        }

        /** The label at column {@code x}, row {@code y}. */
        public int labelAt(int x, int y) {
            return labels[y * width + x];
        }
    }

    /**
     * Labels the nonzero pixels of {@code mask}.
     *
     * @throws IllegalArgumentException unless {@code mask} has 1 channel
     */
    public static Result label(Image8 mask) {
        Image8.requireChannels("connected components mask", mask.channels(), 1);
        int w = mask.width();
        int h = mask.height();
        byte[] m = mask.data();
        int[] labels = new int[w * h];
        // With 8-connectivity a new provisional label needs a background pixel to its left and above,
        // so at most ceil(w/2)·ceil(h/2) of them exist.
        int[] parent = new int[((w + 1) / 2) * ((h + 1) / 2) + 1];
        int next = 1;
        for (int y = 0; y < h; y++) {
            int row = y * w;
            for (int x = 0; x < w; x++) {
                if (m[row + x] == 0) {
                    continue;
                }
                int l = 0;
                if (x > 0) {
                    l = merge(parent, l, labels[row + x - 1]);
                }
                if (y > 0) {
                    int up = row - w;
                    if (x > 0) {
                        l = merge(parent, l, labels[up + x - 1]);
                    }
                    l = merge(parent, l, labels[up + x]);
                    if (x + 1 < w) {
                        l = merge(parent, l, labels[up + x + 1]);
                    }
                }
                if (l == 0) {
                    l = next++;
                    parent[l] = l;
                }
                labels[row + x] = l;
            }
        }
        // Final numbers in order of first appearance of each root; statistics in the same pass.
        int[] finalOf = new int[next];
        int count = 0;
        List<long[]> acc = new ArrayList<>();
        for (int y = 0; y < h; y++) {
            int row = y * w;
            for (int x = 0; x < w; x++) {
                int l = labels[row + x];
                if (l == 0) {
                    continue;
                }
                int r = find(parent, l);
                int f = finalOf[r];
                if (f == 0) {
                    f = ++count;
                    finalOf[r] = f;
                    acc.add(new long[] {0, x, y, x, y, 0, 0});
                }
                labels[row + x] = f;
                long[] a = acc.get(f - 1);
                a[0]++;
                if (x < a[1]) {
                    a[1] = x;
                }
                if (x > a[3]) {
                    a[3] = x;
                }
                a[4] = y;
                a[5] += x;
                a[6] += y;
            }
        }
        List<Component> comps = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long[] a = acc.get(i);
            int area = (int) a[0];
            comps.add(new Component(i + 1, area, (int) a[1], (int) a[2], (int) (a[3] - a[1] + 1),
                    (int) (a[4] - a[2] + 1), (double) a[5] / area, (double) a[6] / area));
        }
        return new Result(w, h, labels, Collections.unmodifiableList(comps));
    }

    // Joins the set of label a (0 = none yet) with that of neighbour label b (0 = background); returns the root.
    private static int merge(int[] parent, int a, int b) {
        if (b == 0) {
            return a;
        }
        int rb = find(parent, b);
        if (a == 0) {
            return rb;
        }
        int ra = find(parent, a);
        if (ra == rb) {
            return ra;
        }
        // The smaller label stays the root, so roots are always the earliest provisional label.
        if (ra < rb) {
            parent[rb] = ra;
            return ra;
        }
        parent[ra] = rb;
        return rb;
    }

    private static int find(int[] parent, int l) {
        int r = l;
        while (parent[r] != r) {
            r = parent[r];
        }
        while (parent[l] != r) {
            int n = parent[l];
            parent[l] = r;
            l = n;
        }
        return r;
    }
}
