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
        /**
         * {@return the pixel nearest the centroid (rounded half up), for turning a component back into a cell
         * position}
         */
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
        /** {@return number of components (background not counted)} */
        public int count() {
            return components.size();
        }

        /**
         * {@return the label at column {@code x}, row {@code y}}
         *
         * @param x column
         * @param y row
         */
        public int labelAt(int x, int y) {
            return labels[y * width + x];
        }
    }

    /**
     * Labels the nonzero pixels of {@code mask}.
     *
     * @param mask a 1-channel image; nonzero pixels are foreground
     * @return the label image and every component
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
                // Pixels already scanned that touch this one: W, NW, N, NE. N touches the other three,
                // and each of them was united with N when it (or N) was scanned, so N alone decides;
                // likewise W and NW are already one set. Only NE may join a different set.
                int l;
                boolean up = y > 0;
                if (up && m[row - w + x] != 0) {
                    l = labels[row - w + x];
                } else {
                    int a = 0;
                    if (x > 0 && m[row + x - 1] != 0) {
                        a = labels[row + x - 1];
                    } else if (up && x > 0 && m[row - w + x - 1] != 0) {
                        a = labels[row - w + x - 1];
                    }
                    int b = up && x + 1 < w && m[row - w + x + 1] != 0 ? labels[row - w + x + 1] : 0;
                    l = a != 0 && b != 0 ? union(parent, a, b) : a | b;
                }
                if (l == 0) {
                    l = next++;
                    parent[l] = l;
                }
                labels[row + x] = l;
            }
        }
        // A set's root is its smallest provisional label, the one created at the set's first pixel in the
        // scan, and parent[l] <= l; so numbering the roots in increasing order numbers the components in
        // order of first appearance, and every label's final number is known once its parent's is.
        int[] finalOf = new int[next];
        int count = 0;
        for (int l = 1; l < next; l++) {
            finalOf[l] = parent[l] == l ? ++count : finalOf[parent[l]];
        }
        int[] area = new int[count + 1];
        int[] minX = new int[count + 1];
        int[] maxX = new int[count + 1];
        int[] minY = new int[count + 1];
        int[] maxY = new int[count + 1];
        long[] sumX = new long[count + 1];
        long[] sumY = new long[count + 1];
        java.util.Arrays.fill(minX, Integer.MAX_VALUE);
        java.util.Arrays.fill(minY, Integer.MAX_VALUE);
        for (int y = 0; y < h; y++) {
            int row = y * w;
            for (int x = 0; x < w; x++) {
                int l = labels[row + x];
                if (l == 0) {
                    continue;
                }
                int f = finalOf[l];
                labels[row + x] = f;
                area[f]++;
                minX[f] = Math.min(minX[f], x);
                maxX[f] = Math.max(maxX[f], x);
                minY[f] = Math.min(minY[f], y);
                maxY[f] = y;
                sumX[f] += x;
                sumY[f] += y;
            }
        }
        List<Component> comps = new ArrayList<>(count);
        for (int f = 1; f <= count; f++) {
            comps.add(new Component(f, area[f], minX[f], minY[f], maxX[f] - minX[f] + 1, maxY[f] - minY[f] + 1,
                    (double) sumX[f] / area[f], (double) sumY[f] / area[f]));
        }
        return new Result(w, h, labels, Collections.unmodifiableList(comps));
    }

    // Joins the sets of provisional labels a and b; the smaller root stays the root, so roots are always
    // the earliest label of their set and parent[l] <= l. Returns the root.
    private static int union(int[] parent, int a, int b) {
        int ra = find(parent, a);
        int rb = find(parent, b);
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
