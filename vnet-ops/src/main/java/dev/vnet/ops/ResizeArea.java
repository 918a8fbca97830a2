package dev.vnet.ops;

/** {@link Resize.Interpolation#AREA} for downscales: each destination pixel is the mean of the source area it covers. */
final class ResizeArea {
    private ResizeArea() {}

    // src: sh x sw x cn, dst: dh x dw x cn with sw = dw * isx, sh = dh * isy. Each output is the mean of an
    // isx x isy block: (sum + 2) >> 2 for 2x2 blocks, else round-half-even(float(sum) * (1f / area)).
    static void integerFactor(Image8 src, Image8 dst, int isx, int isy) {
        int sw = src.width();
        int sh = src.height();
        int cn = src.channels();
        int dw = dst.width();
        int sstride = sw * cn;
        int dstride = dw * cn;
        int area = isx * isy;
        float scale = 1.0f / area;
        int fullWidth = (sw / isx) * cn;
        byte[] s = src.data();
        byte[] d = dst.data();
        RowBands.run(dst.height(), dstride, (from, to) -> {
            // The column sums of a block row, summed row after row in memory order (int sums: the same as any order).
            int[] columns = isx == 2 && isy == 2 ? null : new int[fullWidth * isx];
            ResizeHalfRgb.Scratch lanes = isx == 2 && isy == 2 && cn == 3 ? new ResizeHalfRgb.Scratch() : null;
            for (int dy = from; dy < to; dy++) {
                int sy0 = dy * isy;
                int drow = dy * dstride;
                if (sy0 >= sh) {
                    java.util.Arrays.fill(d, drow, drow + dstride, (byte) 0);
                    continue;
                }
                int w = sy0 + isy <= sh ? fullWidth : 0;
                int dx = 0;
                if (isx == 2 && isy == 2) {
                    int r0 = sy0 * sstride;
                    int done = 0; // samples written by the vectorised rows
                    if (lanes != null) {
                        int pixels = w / 3 & ~3;
                        ResizeHalfRgb.row(s, r0, r0 + sstride, d, drow, pixels, lanes);
                        done = 3 * pixels;
                    }
                    // pixel by pixel, channel by channel: no division per sample
                    for (int i = r0 + 2 * done, o = drow + done, end = drow + w; o < end; i += cn) {
                        for (int c = 0; c < cn; c++, i++, o++) {
                            int sum = (s[i] & 0xFF) + (s[i + cn] & 0xFF) + (s[i + sstride] & 0xFF)
                                    + (s[i + sstride + cn] & 0xFF);
                            d[o] = (byte) ((sum + 2) >> 2);
                        }
                    }
                    dx = w;
                } else if (w > 0) {
                    int used = w * isx;
                    java.util.Arrays.fill(columns, 0, used, 0);
                    for (int ky = 0; ky < isy; ky++) {
                        for (int j = 0, o = (sy0 + ky) * sstride; j < used; j++, o++) {
                            columns[j] += s[o] & 0xFF;
                        }
                    }
                    int blockStride = isx * cn;
                    for (int base = 0, o = drow; base < used; base += blockStride) {
                        for (int c = 0; c < cn; c++, o++) {
                            int sum = 0;
                            for (int kx = 0, j = base + c; kx < isx; kx++, j += cn) {
                                sum += columns[j];
                            }
                            d[o] = (byte) Saturate.toUint8(sum * scale);
                        }
                    }
                    dx = w;
                }
                // Blocks cut by the bottom or right edge: mean of the pixels that exist.
                for (; dx < dstride; dx++) {
                    int px = dx / cn;
                    int sx0 = px * isx * cn + (dx - px * cn);
                    int sum = 0;
                    int count = 0;
                    for (int ky = 0; ky < isy && sy0 + ky < sh; ky++) {
                        for (int kx = 0; kx < isx * cn && sx0 + kx < sstride; kx += cn) {
                            sum += s[(sy0 + ky) * sstride + sx0 + kx] & 0xFF;
                            count++;
                        }
                    }
                    d[drow + dx] = count == 0 ? 0 : (byte) Saturate.toUint8((float) sum / count);
                }
            }
        });
    }

    /** One source-to-destination weight: destination index {@code di}, source index {@code si}. */
    record AreaWeight(int di, int si, float alpha) {}

    // OpenCV's computeResizeAreaTab: which source cells overlap destination cell dx, and by what fraction.
    static AreaWeight[] areaTable(int ssize, int dsize, int cn, double scale) {
        java.util.ArrayList<AreaWeight> tab = new java.util.ArrayList<>(ssize * 2);
        for (int dx = 0; dx < dsize; dx++) {
            double fsx1 = dx * scale;
            double fsx2 = fsx1 + scale;
            double cellWidth = Math.min(scale, ssize - fsx1);
            int sx1 = (int) Math.ceil(fsx1);
            int sx2 = (int) Math.floor(fsx2);
            sx2 = Math.min(sx2, ssize - 1);
            sx1 = Math.min(sx1, sx2);
            if (sx1 - fsx1 > 1e-3) {
                tab.add(new AreaWeight(dx * cn, (sx1 - 1) * cn, (float) ((sx1 - fsx1) / cellWidth)));
            }
            for (int sx = sx1; sx < sx2; sx++) {
                tab.add(new AreaWeight(dx * cn, sx * cn, (float) (1.0 / cellWidth)));
            }
            if (fsx2 - sx2 > 1e-3) {
                tab.add(new AreaWeight(dx * cn, sx2 * cn,
                        (float) (Math.min(Math.min(fsx2 - sx2, 1.0), cellWidth) / cellWidth)));
            }
        }
        return tab.toArray(new AreaWeight[0]);
    }

    // src: sh x sw x cn, dst: dh x dw x cn, scale >= 1 in both directions. Float accumulation in OpenCV's order:
    // per source row, buf[d] += src * alphaX; per destination row, sum += alphaY * buf; then round half even.
    static void anyFactor(Image8 src, Image8 dst, double scaleX, double scaleY) {
        int sw = src.width();
        int cn = src.channels();
        int dw = dst.width();
        int dh = dst.height();
        AreaWeight[] xtab = areaTable(sw, dw, cn, scaleX);
        AreaWeight[] ytab = areaTable(src.height(), dh, 1, scaleY);
        int[] xdi = new int[xtab.length];
        int[] xsi = new int[xtab.length];
        float[] xalpha = new float[xtab.length];
        for (int k = 0; k < xtab.length; k++) {
            xdi[k] = xtab[k].di();
            xsi[k] = xtab[k].si();
            xalpha[k] = xtab[k].alpha();
        }
        int[] xStart = new int[dw + 1]; // table entries of destination column dx: [xStart[dx], xStart[dx + 1])
        for (int k = 0, dx = 0; k <= xdi.length; k++) {
            while (dx <= dw && (k == xdi.length ? dw * cn : xdi[k]) >= dx * cn) {
                xStart[dx++] = k;
            }
        }
        int[] yStart = new int[dh + 1];
        for (int k = 0, dy = 0; k < ytab.length; k++) {
            if (k == 0 || ytab[k].di() != ytab[k - 1].di()) {
                yStart[dy++] = k;
            }
        }
        yStart[dh] = ytab.length;
        int dstride = dw * cn;
        int sstride = sw * cn;
        byte[] s = src.data();
        byte[] d = dst.data();
        RowBands.run(dh, dstride, (from, to) -> {
            float[] buf = new float[dstride];
            float[] sum = new float[dstride];
            for (int dy = from; dy < to; dy++) {
                java.util.Arrays.fill(sum, 0f);
                for (int j = yStart[dy]; j < yStart[dy + 1]; j++) {
                    float beta = ytab[j].alpha();
                    int srow = ytab[j].si() * sstride;
                    // buf[dx] = sum over the table entries of dx, in table order, of src * alpha; summed in registers
                    // (the same float operations in the same order as adding into buf, without a store and reload
                    // between consecutive additions)
                    if (cn == 3) {
                        for (int dx = 0, o = 0; dx < dw; dx++, o += 3) {
                            float a0 = 0f;
                            float a1 = 0f;
                            float a2 = 0f;
                            for (int k = xStart[dx]; k < xStart[dx + 1]; k++) {
                                int si = srow + xsi[k];
                                float a = xalpha[k];
                                a0 += (s[si] & 0xFF) * a;
                                a1 += (s[si + 1] & 0xFF) * a;
                                a2 += (s[si + 2] & 0xFF) * a;
                            }
                            buf[o] = a0;
                            buf[o + 1] = a1;
                            buf[o + 2] = a2;
                        }
                    } else {
                        for (int dx = 0; dx < dw; dx++) {
                            float a0 = 0f;
                            for (int k = xStart[dx]; k < xStart[dx + 1]; k++) {
                                a0 += (s[srow + xsi[k]] & 0xFF) * xalpha[k];
                            }
                            buf[dx] = a0;
                        }
                    }
                    for (int x = 0; x < dstride; x++) {
                        sum[x] += beta * buf[x];
                    }
                }
                int drow = dy * dstride;
                for (int x = 0; x < dstride; x++) {
                    d[drow + x] = (byte) Saturate.toUint8(sum[x]);
                }
            }
        });
    }
}
