package dev.vnet.core.nd4j;

import dev.vnet.core.tensor.Tensor;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Conversions between {@link Tensor} (float32, row-major, images channels first: {@code [N, C, H, W]}) and ND4J's
 * {@link INDArray}, with the same shape and the same element at every index.
 *
 * <p>Both directions copy the values once: a {@code Tensor} keeps them in a Java {@code float[]} on the heap, an
 * {@code INDArray} of ND4J's CPU backend in native memory, and neither can view the other's memory whatever the
 * layout. The copy is one bulk transfer for an array in C order ({@code 'c'}, row-major, the layout of a
 * {@code Tensor}) that is not a view into a larger buffer; any other array (a view, Fortran order, a data type other
 * than float32) is first made into such an array by ND4J, a second copy. Neither side shares memory with the other
 * afterwards: a change to one does not show in the other.
 */
public final class Nd4jArrays {
    private Nd4jArrays() {}

    /**
     * {@return a new float32 array in C order with the tensor's shape and values} A rank-0 tensor gives a scalar.
     * Copies once.
     *
     * @param tensor the tensor, e.g. a batch of logits {@code [N, 1, H, W]}; its graph and gradient are not taken
     */
    public static INDArray toINDArray(Tensor tensor) {
        long[] shape = new long[tensor.rank()];
        for (int d = 0; d < shape.length; d++) {
            shape[d] = tensor.dim(d);
        }
        if (shape.length == 0) {
            return Nd4j.scalar(tensor.item());
        }
        return Nd4j.create(tensor.data(), shape, 'c');
    }

    /**
     * {@return a new tensor with the array's shape and values, as float32, without a gradient} Copies once for a
     * float32 array in C order that is not a view; otherwise twice (see the class comment).
     *
     * @param array any numeric array, e.g. a batch of images {@code [N, C, H, W]}, channels first
     * @throws IllegalArgumentException if a dimension of the array is larger than {@code Integer.MAX_VALUE}, or it
     *                                  has more elements than a Java array holds
     */
    public static Tensor toTensor(INDArray array) {
        long[] shape = array.shape();
        int[] dims = new int[shape.length];
        long n = 1;
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("Nd4jArrays.toTensor: dimension " + d + " of the array is "
                        + shape[d] + ", more than a Tensor holds (" + Integer.MAX_VALUE + ")");
            }
            dims[d] = (int) shape[d];
            n *= shape[d];
        }
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("Nd4jArrays.toTensor: the array " + java.util.Arrays.toString(shape)
                    + " has " + n + " elements, more than a Java array holds");
        }
        INDArray dense = array.dataType() == DataType.FLOAT ? array : array.castTo(DataType.FLOAT);
        boolean whole = dense.ordering() == 'c' && !dense.isView() && dense.data().length() == n;
        if (!whole) {
            dense = dense.dup('c');
        }
        float[] values = n == 0 ? new float[0] : dense.data().asFloat();
        return Tensor.wrap(values, dims);
    }

    /**
     * {@return a new tensor of a batch of images, checked to be {@code [N, channels, H, W]}} See {@link #toTensor}.
     *
     * @param array    images channels first, {@code [N, C, H, W]}
     * @param channels the channel count the model takes, e.g. 3 for RGB
     * @throws IllegalArgumentException if the array is not of rank 4 with {@code channels} channels
     */
    public static Tensor imagesToTensor(INDArray array, int channels) {
        long[] s = array.shape();
        if (s.length != 4 || s[1] != channels) {
            throw new IllegalArgumentException("Nd4jArrays.imagesToTensor: expected images [N, " + channels
                    + ", H, W], channels first, got an array of shape " + java.util.Arrays.toString(s)
                    + (s.length == 4 && s[3] == channels ? " (channels last? permute(0, 3, 1, 2) first)" : ""));
        }
        return toTensor(array);
    }
}
