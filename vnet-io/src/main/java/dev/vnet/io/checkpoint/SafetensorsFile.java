package dev.vnet.io.checkpoint;

import dev.vnet.core.tensor.Shape;
import dev.vnet.core.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The content of a safetensors file: tensors by name (in the order of their data in the file) and the
 * string-to-string {@code __metadata__}.
 *
 * @param source   the file it was read from, for error messages
 * @param tensors  the tensors by name, as float32
 * @param metadata the {@code __metadata__} entries (empty if the file has none)
 */
public record SafetensorsFile(String source, Map<String, Tensor> tensors, Map<String, String> metadata) {
    /**
     * Makes unmodifiable copies of the maps, keeping their order.
     *
     * @param source   the file it was read from, for error messages
     * @param tensors  the tensors by name, as float32
     * @param metadata the {@code __metadata__} entries (empty if the file has none)
     */
    public SafetensorsFile {
        tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    /**
     * Copies the values of this file's tensors into {@code target}'s tensors of the same names (for example a
     * model's {@code stateDict()}). Nothing is copied unless every tensor matches: the same set of names and the
     * same shape for each.
     *
     * @param target tensors by name, e.g. a model's {@code stateDict()}
     * @throws CheckpointFormatException naming every tensor that is missing from the file, unexpected in it, or
     *                                   of the wrong shape
     */
    public void loadInto(Map<String, Tensor> target) throws CheckpointFormatException {
        List<String> missing = new ArrayList<>();
        List<String> wrongShape = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : target.entrySet()) {
            Tensor stored = tensors.get(e.getKey());
            if (stored == null) {
                missing.add(e.getKey());
            } else if (!Arrays.equals(stored.shape(), e.getValue().shape())) {
                wrongShape.add(e.getKey() + " (file " + Shape.toString(stored.shape()) + ", expected "
                        + Shape.toString(e.getValue().shape()) + ")");
            }
        }
        List<String> unexpected = new ArrayList<>();
        for (String name : tensors.keySet()) {
            if (!target.containsKey(name)) {
                unexpected.add(name);
            }
        }
        if (!missing.isEmpty() || !wrongShape.isEmpty() || !unexpected.isEmpty()) {
            StringBuilder b = new StringBuilder("does not match the model:");
            if (!missing.isEmpty()) {
                b.append(" missing tensors ").append(missing).append(';');
            }
            if (!unexpected.isEmpty()) {
                b.append(" unexpected tensors ").append(unexpected).append(';');
            }
            if (!wrongShape.isEmpty()) {
                b.append(" wrong shapes ").append(wrongShape).append(';');
            }
            b.setLength(b.length() - 1);
            String first = !missing.isEmpty() ? missing.get(0)
                    : !unexpected.isEmpty() ? unexpected.get(0) : wrongShape.get(0).split(" ")[0];
            throw new CheckpointFormatException(source, first, b.toString());
        }
        for (Map.Entry<String, Tensor> e : target.entrySet()) {
            float[] from = tensors.get(e.getKey()).data();
            System.arraycopy(from, 0, e.getValue().data(), 0, from.length);
        }
    }

    /**
     * Refuses a file with a NaN or infinite value: such weights come from a run that diverged, and would make
     * every output NaN.
     *
     * @throws CheckpointFormatException naming the first tensor holding one, the value's index and how many of its
     *                                   values are not finite
     */
    public void requireFinite() throws CheckpointFormatException {
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            float[] v = e.getValue().data();
            int first = -1;
            long bad = 0;
            for (int i = 0; i < v.length; i++) {
                if (!Float.isFinite(v[i])) {
                    first = first < 0 ? i : first;
                    bad++;
                }
            }
            if (bad > 0) {
                throw new CheckpointFormatException(source, e.getKey(), bad + " of its " + v.length
                        + " values are not finite, the first at index " + first + " (" + v[first]
                        + "): the weights of a run that diverged; use an earlier checkpoint");
            }
        }
    }
}
