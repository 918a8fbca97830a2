package dev.vnet.ops.preprocess;

import dev.vnet.ops.CircleMask;
import dev.vnet.ops.Clahe;
import dev.vnet.ops.ColorConvert;
import dev.vnet.ops.GaussianBlur;
import dev.vnet.ops.Image8;
import dev.vnet.ops.MedianBlur;
import dev.vnet.ops.Point;
import dev.vnet.ops.Resize;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The preprocessing of the method as a configured sequence of steps, each with named parameters:
 * gray → resize → Gaussian blur → median blur → CLAHE. Every step gives the same bytes as the OpenCV
 * 4.6 call named in its record, so a pipeline gives the same bytes as the same sequence of cv2 calls.
 *
 * <p>{@link PreprocessConfig#pipeline()} gives the pipeline of a training configuration, and
 * {@code PreprocessConfig.paper().pipeline()} is the method's; {@link #builder()} sets or leaves out each step
 * and always applies them in the method's order; {@link #of(Step...)} applies any steps in the order given.
 * {@link #toString()} lists the steps with their parameters, e.g.
 * {@code gray → resize(width=256, height=256, interpolation=LINEAR) → gaussian(ksize=5, sigma=0.0) →
 * median(ksize=5) → clahe(clipLimit=2.0, tilesX=8, tilesY=8, colorMode=LAB_LIGHTNESS)}.
 *
 * <p>Note for comparisons with Python code that reads images with {@code cv2.imread(path, 0)}: for JPEG
 * files that gray image comes from the JPEG decoder's own colour conversion, which can differ by one
 * level from {@code cvtColor(..., COLOR_BGR2GRAY)}; {@link GrayStep} is the latter.
 */
public final class Pipeline {
    /** One preprocessing step: an image in, a new image out. */
    public sealed interface Step permits GrayStep, ResizeStep, GaussianStep, MedianStep, ClaheStep {
        /**
         * Applies the step; the input is not changed.
         *
         * @param img the input
         * @return the result, a new image
         */
        Image8 apply(Image8 img);

        /** {@return the step's name and parameters, e.g} {@code median(ksize=5)}. */
        String describe();
    }

    /**
     * RGB → gray, {@code cv2.cvtColor(img, cv2.COLOR_RGB2GRAY)}; a gray input is passed through (copied).
     */
    public record GrayStep() implements Step {
        @Override
        public Image8 apply(Image8 img) {
            return ColorConvert.toGray(img);
        }

        @Override
        public String describe() {
            return "gray";
        }
    }

    /**
     * Resize to {@code width × height} pixels, {@code cv2.resize(img, (width, height), interpolation=...)}.
     *
     * @param width         output width in pixels, {@code >= 1}
     * @param height        output height in pixels, {@code >= 1}
     * @param interpolation LINEAR (cv2's default), AREA or NEAREST
     */
    public record ResizeStep(int width, int height, Resize.Interpolation interpolation) implements Step {
        /**
         * Rejects a size below 1.
         *
         * @param width         output width in pixels, {@code >= 1}
         * @param height        output height in pixels, {@code >= 1}
         * @param interpolation LINEAR (cv2's default), AREA or NEAREST
         */
        public ResizeStep {
            if (width < 1 || height < 1) {
                throw new IllegalArgumentException("resize step: width and height must be >= 1 pixel, got "
                        + width + "x" + height);
            }
            if (interpolation == null) {
                throw new IllegalArgumentException("resize step: interpolation must be NEAREST, LINEAR or AREA, got null");
            }
        }

        @Override
        public Image8 apply(Image8 img) {
            return Resize.apply(img, width, height, interpolation);
        }

        @Override
        public String describe() {
            return "resize(width=" + width + ", height=" + height + ", interpolation=" + interpolation + ")";
        }
    }

    /**
     * Gaussian blur, {@code cv2.GaussianBlur(img, (ksize, ksize), sigma)}.
     *
     * @param ksize kernel size: odd {@code >= 1}, or 0 to derive it from {@code sigma}
     * @param sigma standard deviation in pixels, {@code >= 0}; 0 derives it from {@code ksize}
     */
    public record GaussianStep(int ksize, double sigma) implements Step {
        /**
         * Rejects an even or negative kernel size.
         *
         * @param ksize kernel size: odd {@code >= 1}, or 0 to derive it from {@code sigma}
         * @param sigma standard deviation in pixels, {@code >= 0}; 0 derives it from {@code ksize}
         */
        public GaussianStep {
            if (ksize < 0 || (ksize > 0 && ksize % 2 == 0)) {
                throw new IllegalArgumentException("gaussian step: ksize must be odd and >= 1, or 0 (from sigma), got "
                        + ksize);
            }
            if (!(sigma >= 0) || Double.isInfinite(sigma)) {
                throw new IllegalArgumentException("gaussian step: sigma must be a finite number >= 0 (0 = from ksize), got "
                        + sigma);
            }
            if (ksize == 0 && sigma == 0) {
                throw new IllegalArgumentException("gaussian step: ksize and sigma cannot both be 0");
            }
        }

        @Override
        public Image8 apply(Image8 img) {
            return GaussianBlur.apply(img, ksize, sigma);
        }

        @Override
        public String describe() {
            return "gaussian(ksize=" + ksize + ", sigma=" + sigma + ")";
        }
    }

    /**
     * Median blur, {@code cv2.medianBlur(img, ksize)}.
     *
     * @param ksize window size, odd {@code >= 1}
     */
    public record MedianStep(int ksize) implements Step {
        /**
         * Rejects an even or non-positive window size.
         *
         * @param ksize window size, odd {@code >= 1}
         */
        public MedianStep {
            if (ksize < 1 || ksize % 2 == 0) {
                throw new IllegalArgumentException("median step: ksize must be odd and >= 1, got " + ksize);
            }
        }

        @Override
        public Image8 apply(Image8 img) {
            return MedianBlur.apply(img, ksize);
        }

        @Override
        public String describe() {
            return "median(ksize=" + ksize + ")";
        }
    }

    /**
     * CLAHE, {@code cv2.createCLAHE(clipLimit, (tilesX, tilesY)).apply(img)}; on colour input as
     * {@code colorMode} says (see {@link Clahe}).
     *
     * @param clipLimit contrast limit, {@code >= 0} (0 = no clipping)
     * @param tilesX    tiles across, {@code >= 1}
     * @param tilesY    tiles down, {@code >= 1}
     * @param colorMode what to equalise on a 3-channel image
     */
    public record ClaheStep(double clipLimit, int tilesX, int tilesY, Clahe.ColorMode colorMode) implements Step {
        /**
         * Rejects a negative clip limit or a tile count below 1.
         *
         * @param clipLimit contrast limit, {@code >= 0} (0 = no clipping)
         * @param tilesX    tiles across, {@code >= 1}
         * @param tilesY    tiles down, {@code >= 1}
         * @param colorMode what to equalise on a 3-channel image
         */
        public ClaheStep {
            Clahe.checkParameters(clipLimit, tilesX, tilesY);
            if (colorMode == null) {
                throw new IllegalArgumentException("clahe step: colorMode must be LAB_LIGHTNESS or EACH_CHANNEL, got null");
            }
        }

        /**
         * CLAHE on the L channel of Lab for colour input.
         *
         * @param clipLimit the contrast limit
         * @param tilesX    tiles across
         * @param tilesY    tiles down
         */
        public ClaheStep(double clipLimit, int tilesX, int tilesY) {
            this(clipLimit, tilesX, tilesY, Clahe.ColorMode.LAB_LIGHTNESS);
        }

        @Override
        public Image8 apply(Image8 img) {
            return Clahe.apply(img, clipLimit, tilesX, tilesY, colorMode);
        }

        @Override
        public String describe() {
            return "clahe(clipLimit=" + clipLimit + ", tilesX=" + tilesX + ", tilesY=" + tilesY + ", colorMode="
                    + colorMode + ")";
        }
    }

    private final List<Step> steps;

    private Pipeline(List<Step> steps) {
        this.steps = List.copyOf(steps);
    }

    /**
     * {@return the given steps, applied in the order given}
     *
     * @param steps the steps
     */
    public static Pipeline of(Step... steps) {
        for (int i = 0; i < steps.length; i++) {
            Objects.requireNonNull(steps[i], "pipeline step " + i + " is null");
        }
        return new Pipeline(List.of(steps));
    }

    /** {@return a builder that applies whichever steps are set in the method's order} */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Runs every step in turn; the input is not changed.
     *
     * @param img the input
     * @return the result, a new image
     */
    public Image8 apply(Image8 img) {
        Image8 cur = img;
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i) instanceof GrayStep && i + 1 < steps.size() && steps.get(i + 1) instanceof ResizeStep r) {
                // the same bytes as the two steps, converting only the rows the resize reads
                cur = Resize.grayThenApply(cur, r.width(), r.height(), r.interpolation());
                i++;
            } else {
                cur = steps.get(i).apply(cur);
            }
        }
        return cur == img ? img.copy() : cur;
    }

    /** {@return the steps in the order they run} */
    public List<Step> steps() {
        return steps;
    }

    /**
     * {@return the method's true mask for this pipeline's output: discs of {@code radiusOriginal} (in original-image
     * pixels) at {@code centresOriginal} drawn on a black canvas of the original size, then brought to the size of
     * the last resize step with nearest-neighbour resizing (so it stays binary); with no resize step, the
     * original-size mask}
     *
     * @param originalWidth   original image width in pixels
     * @param originalHeight  original image height in pixels
     * @param centresOriginal blast centres in original pixels
     * @param radiusOriginal  disc radius in original pixels
     */
    public Image8 mask(int originalWidth, int originalHeight, List<Point> centresOriginal, int radiusOriginal) {
        Image8 mask = CircleMask.discs(originalWidth, originalHeight, centresOriginal, radiusOriginal);
        ResizeStep last = null;
        for (Step s : steps) {
            if (s instanceof ResizeStep r) {
                last = r;
            }
        }
        if (last == null) {
            return mask;
        }
        return Resize.apply(mask, last.width(), last.height(), Resize.Interpolation.NEAREST);
    }

    /** The steps and their parameters, joined by arrows. */
    @Override
    public String toString() {
        return steps.isEmpty() ? "(no steps)" : steps.stream().map(Step::describe).collect(Collectors.joining(" → "));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Pipeline p && p.steps.equals(steps);
    }

    @Override
    public int hashCode() {
        return steps.hashCode();
    }

    /** Sets the steps of a method-order pipeline; unset steps are left out. */
    public static final class Builder {
        private GrayStep gray;
        private ResizeStep resize;
        private GaussianStep gaussian;
        private MedianStep median;
        private ClaheStep clahe;

        private Builder() {}

        /**
         * Convert to gray first.
         *
         * @return this builder
         */
        public Builder gray() {
            this.gray = new GrayStep();
            return this;
        }

        /**
         * Resize to {@code width × height}.
         *
         * @param width         width in pixels
         * @param height        height in pixels
         * @param interpolation the interpolation
         * @return this builder
         */
        public Builder resize(int width, int height, Resize.Interpolation interpolation) {
            this.resize = new ResizeStep(width, height, interpolation);
            return this;
        }

        /**
         * {@return gaussian blur with a {@code ksize × ksize} kernel}
         *
         * @param ksize odd kernel size
         * @param sigma standard deviation, or 0 to derive it from ksize
         */
        public Builder gaussian(int ksize, double sigma) {
            this.gaussian = new GaussianStep(ksize, sigma);
            return this;
        }

        /**
         * Median blur with a {@code ksize × ksize} window.
         *
         * @param ksize odd window size
         * @return this builder
         */
        public Builder median(int ksize) {
            this.median = new MedianStep(ksize);
            return this;
        }

        /**
         * CLAHE (on L of Lab for colour input).
         *
         * @param clipLimit the contrast limit
         * @param tilesX    tiles across
         * @param tilesY    tiles down
         * @return this builder
         */
        public Builder clahe(double clipLimit, int tilesX, int tilesY) {
            this.clahe = new ClaheStep(clipLimit, tilesX, tilesY);
            return this;
        }

        /**
         * CLAHE with an explicit colour mode.
         *
         * @param clipLimit the contrast limit
         * @param tilesX    tiles across
         * @param tilesY    tiles down
         * @param colorMode which channels of a colour image are equalised
         * @return this builder
         */
        public Builder clahe(double clipLimit, int tilesX, int tilesY, Clahe.ColorMode colorMode) {
            this.clahe = new ClaheStep(clipLimit, tilesX, tilesY, colorMode);
            return this;
        }

        /** {@return the pipeline with the set steps, in the order gray, resize, Gaussian, median, CLAHE} */
        public Pipeline build() {
            List<Step> s = new ArrayList<>(5);
            for (Step step : new Step[] {gray, resize, gaussian, median, clahe}) {
                if (step != null) {
                    s.add(step);
                }
            }
            return new Pipeline(s);
        }
    }
}
