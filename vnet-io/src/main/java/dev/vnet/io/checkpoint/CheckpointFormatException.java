package dev.vnet.io.checkpoint;

import java.io.IOException;

/**
 * A safetensors file that is malformed (truncated, absurd header length, invalid JSON, unknown dtype, bad
 * offsets, duplicate names), or whose tensors do not match the model they are loaded into (missing, unexpected or
 * wrong-shaped tensors). The message names the file and, where one is concerned, the tensor.
 */
public final class CheckpointFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    /** The file (or source) name. */
    private final String file;
    /** The tensor concerned, or {@code null}. */
    private final String tensor;

    /**
     * @param file   the file (or source) name
     * @param tensor the tensor concerned, or {@code null}
     * @param reason what is wrong and what was expected
     */
    public CheckpointFormatException(String file, String tensor, String reason) {
        super(file + (tensor == null ? "" : ": tensor '" + tensor + "'") + ": " + reason);
        this.file = file;
        this.tensor = tensor;
    }

    /** {@return the file (or source) name} */
    public String file() {
        return file;
    }

    /** {@return the tensor concerned, or {@code null} if the problem is not about one tensor} */
    public String tensor() {
        return tensor;
    }
}
