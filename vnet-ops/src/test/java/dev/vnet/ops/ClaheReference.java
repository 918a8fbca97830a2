package dev.vnet.ops;

/**
 * A plain, slow CLAHE written straight from OpenCV's description, to hold the fast {@link Clahe} to:
 * it materialises the padded image, builds every tile's table with its own loops and recomputes the
 * interpolation terms for every pixel.
 */
final class ClaheReference {
    private ClaheReference() {}

    static Image8 apply(Image8 img, double clipLimit, int tilesX, int tilesY) {
        int w = img.width();
        int h = img.height();
        boolean divides = w % tilesX == 0 && h % tilesY == 0;
        int pw = divides ? w : w + tilesX - w % tilesX;
        int ph = divides ? h : h + tilesY - h % tilesY;
        int[][] padded = new int[ph][pw];
        for (int y = 0; y < ph; y++) {
            for (int x = 0; x < pw; x++) {
                padded[y][x] = img.get(mirror(x, w), mirror(y, h), 0);
            }
        }
        int tw = pw / tilesX;
        int th = ph / tilesY;
        int area = tw * th;
        int clip = clipLimit > 0 ? Math.max((int) (clipLimit * area / 256), 1) : 0;
        float scale = 255f / area;
        int[][][] lut = new int[tilesY][tilesX][256];
        for (int ty = 0; ty < tilesY; ty++) {
            for (int tx = 0; tx < tilesX; tx++) {
                int[] hist = new int[256];
                for (int y = ty * th; y < (ty + 1) * th; y++) {
                    for (int x = tx * tw; x < (tx + 1) * tw; x++) {
                        hist[padded[y][x]]++;
                    }
                }
                if (clip > 0) {
                    int excess = 0;
                    for (int i = 0; i < 256; i++) {
                        excess += Math.max(0, hist[i] - clip);
                        hist[i] = Math.min(hist[i], clip);
                    }
                    for (int i = 0; i < 256; i++) {
                        hist[i] += excess / 256;
                    }
                    int residual = excess % 256;
                    int step = residual == 0 ? 0 : Math.max(256 / residual, 1);
                    for (int k = 0; k < residual && k * step < 256; k++) {
                        hist[k * step]++;
                    }
                }
                int sum = 0;
                for (int i = 0; i < 256; i++) {
                    sum += hist[i];
                    lut[ty][tx][i] = clamp((int) Math.rint(sum * scale));
                }
            }
        }
        Image8 out = new Image8(w, h, 1);
        for (int y = 0; y < h; y++) {
            float tyf = y * (1.0f / th) - 0.5f;
            int ty1 = (int) Math.floor(tyf);
            float ya = tyf - ty1;
            int ty2 = Math.min(ty1 + 1, tilesY - 1);
            ty1 = Math.max(ty1, 0);
            for (int x = 0; x < w; x++) {
                float txf = x * (1.0f / tw) - 0.5f;
                int tx1 = (int) Math.floor(txf);
                float xa = txf - tx1;
                int tx2 = Math.min(tx1 + 1, tilesX - 1);
                tx1 = Math.max(tx1, 0);
                int v = img.get(x, y, 0);
                float res = (lut[ty1][tx1][v] * (1.0f - xa) + lut[ty1][tx2][v] * xa) * (1.0f - ya)
                        + (lut[ty2][tx1][v] * (1.0f - xa) + lut[ty2][tx2][v] * xa) * ya;
                out.set(x, y, 0, clamp((int) Math.rint(res)));
            }
        }
        return out;
    }

    // BORDER_REFLECT_101 for an index past the end (the padding is only on the right and bottom).
    private static int mirror(int p, int len) {
        if (len == 1) {
            return 0;
        }
        int period = 2 * len - 2;
        int q = p % period;
        return q < len ? q : period - q;
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }
}
