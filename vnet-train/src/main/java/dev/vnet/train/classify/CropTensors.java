package dev.vnet.train.classify;

import dev.vnet.core.tensor.Rng;
import dev.vnet.core.tensor.Tensor;
import dev.vnet.io.data.ImageTensors;
import dev.vnet.ops.Image8;
import dev.vnet.train.detect.StainJitter;
import java.util.List;

/**
 * Turns crops into the classifier's input {@code [n, 3, s, s]} (values in [0, 1]) and its targets, with the training
 * augmentation: a cell has no orientation, so each crop is flipped and turned by a multiple of 90° at random (the 8
 * symmetries of the square), and its stain shifted as ALL-IDB1's photographs differ ({@link StainJitter#CARD}).
 */
public final class CropTensors {
    private CropTensors() {}

    /**
     * {@return the crops as one batch {@code [n, 3, s, s]}}
     *
     * @param crops crops of one size
     */
    public static Tensor images(List<Image8> crops) {
        Image8 first = crops.get(0);
        int plane = 3 * first.width() * first.height();
        float[] data = new float[crops.size() * plane];
        for (int i = 0; i < crops.size(); i++) {
            Image8 c = crops.get(i);
            if (c.width() != first.width() || c.height() != first.height() || c.channels() != 3) {
                throw new IllegalArgumentException("crop " + i + " is " + c + ", the batch's first is " + first);
            }
            ImageTensors.toChannelsFirst(c, data, i * plane);
        }
        return Tensor.of(data, crops.size(), 3, first.height(), first.width());
    }

    /**
     * {@return the class indices as floats {@code [n]} (1 blast, 0 normal), the target a {@link ClassLabelLoss} reads}
     *
     * @param crops the crops
     */
    public static Tensor labels(List<CellCrop> crops) {
        float[] t = new float[crops.size()];
        for (int i = 0; i < t.length; i++) {
            t[i] = crops.get(i).blast() ? 1 : 0;
        }
        return Tensor.of(t, t.length);
    }

    /**
     * {@return {@code crop} under a random symmetry of the square and a random stain shift}
     *
     * @param crop a square RGB crop
     * @param rng  the crop's random stream
     */
    public static Image8 augment(Image8 crop, Rng rng) {
        int turn = rng.nextInt(8);
        Image8 out = symmetry(crop, turn);
        return StainJitter.CARD.apply(out, rng);
    }

    /**
     * {@return {@code img} under symmetry {@code k} of the square: {@code k & 3} quarter turns, mirrored if
     * {@code k >= 4}}
     *
     * @param img a square image
     * @param k   0 to 7; 0 is the identity
     */
    public static Image8 symmetry(Image8 img, int k) {
        int n = img.width();
        if (img.height() != n) {
            throw new IllegalArgumentException("symmetries of the square need a square image, got " + img);
        }
        if (k == 0) {
            return img;
        }
        int c = img.channels();
        byte[] s = img.data();
        Image8 out = new Image8(n, n, c);
        byte[] d = out.data();
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                int sx = k >= 4 ? n - 1 - x : x;
                int sy = y;
                for (int t = 0; t < (k & 3); t++) {
                    int nx = n - 1 - sy;
                    sy = sx;
                    sx = nx;
                }
                System.arraycopy(s, (sy * n + sx) * c, d, (y * n + x) * c, c);
            }
        }
        return out;
    }
}
