package dev.vnet.ops;

/**
 * {@link VectorFilters} on {@code jdk.incubator.vector}. Loaded by name only when that module is present: this
 * class and the classes it calls are the only ones that refer to the incubator API.
 */
final class VectorFiltersOnIncubator implements VectorFilters {
    VectorFiltersOnIncubator() {}

    @Override
    public Image8 median3(Image8 src) {
        return MedianVectorRows.fits(src.width() * src.channels()) ? MedianVectorRows.median3(src) : null;
    }

    @Override
    public Image8 median5(Image8 src) {
        return MedianVectorRows.fits(src.width() * src.channels()) ? MedianVectorRows.median5(src) : null;
    }

    @Override
    public boolean gaussian(Image8 src, Image8 dst, int[] kx, int[] ky) {
        if (!GaussianVectorRows.fits(src.width() * src.channels())) {
            return false;
        }
        GaussianVectorRows.apply(src, dst, kx, ky);
        return true;
    }

    @Override
    public boolean gaussianBinomial(Image8 src, Image8 dst, int ksizeX, int ksizeY) {
        if (!GaussianVectorRows.fits(src.width() * src.channels())) {
            return false;
        }
        GaussianVectorRows.binomial(src, dst, ksizeX, ksizeY);
        return true;
    }

    @Override
    public boolean keepPixelStarts(int[] means, byte[] d, int o, int pixels) {
        return ResizeHalfVector.keepPixelStarts(means, d, o, pixels);
    }

    @Override
    public boolean rgbToGray(byte[] s, int sPixel, byte[] d, int dPixel, int pixels) {
        return GrayFromRgbVector.convert(s, sPixel, d, dPixel, pixels);
    }

    @Override
    public boolean resizeLinearDown(Image8 src, Image8 dst, int[] xofs, int[] alpha, int[] yofs, int[] beta) {
        return ResizeLinearVector.apply(src, dst, xofs, alpha, yofs, beta);
    }
}
