package dev.vnet.ops;

/** Where a filter reads outside the image: OpenCV's border modes, for the one the operations use. */
public final class Borders {

    private Borders() {}

    /**
     * OpenCV's {@code borderInterpolate(p, len, BORDER_REFLECT_101)}: mirror without repeating the edge
     * ({@code gfedcb|abcdefgh|gfedcba}), repeatedly for positions more than one length outside.
     *
     * @param p   a coordinate, possibly outside {@code [0, len)}
     * @param len the length of the axis, at least 1
     * @return the coordinate inside {@code [0, len)} that {@code p} reads
     */
    public static int reflect101(int p, int len) {
        if (len == 1) {
            return 0;
        }
        while (p < 0 || p >= len) {
            p = p < 0 ? -p : 2 * len - 2 - p;
        }
        return p;
    }

    /**
     * {@return the source coordinate of each index of an axis of {@code len} padded by {@code r} on both sides}
     * Index {@code p} of the padded axis is coordinate {@code p − r}.
     *
     * @param len the length of the axis, at least 1
     * @param r   the padding on each side
     */
    static int[] reflect101Map(int len, int r) {
        int[] map = new int[len + 2 * r];
        for (int p = 0; p < map.length; p++) {
            map[p] = reflect101(p - r, len);
        }
        return map;
    }
}
