package dev.vnet.core.nn.vnet;

import java.util.Arrays;

/**
 * The shape of a 2D {@link VNet}.
 *
 * <p>{@link #monai()} is the layout of MONAI's {@code VNet(spatial_dims=2)}: base width 16, conv counts
 * 1, 2, 3, 2 in the down stages and 2, 2, 1, 1 in the up stages, no bias in convolutions followed by a
 * batch norm. {@link #paper()} uses the original paper's counts, 2, 3, 3, 3 down and 3, 3, 2, 1 up
 * (with the one convolution of the input transition that makes the paper's 1, 2, 3, 3, 3).
 *
 * @param inChannels  input channels (1 for gray, 3 for RGB); any count is allowed
 * @param outChannels output channels (logits), 1 for a blast mask
 * @param activation  the nonlinearity after every batch norm and residual sum
 * @param baseWidth   channels of the input transition (16 in MONAI); stage {@code i} has {@code baseWidth·2^i}
 * @param downConvs   the number of 5×5 convolutions in each of the four down stages
 * @param upConvs     the number of 5×5 convolutions in each of the four up stages
 * @param dropout     2D (whole-channel) dropout probability in the two deepest down and up stages; 0 = off
 */
public record VNetConfig(int inChannels, int outChannels, Activation activation, int baseWidth,
                         int[] downConvs, int[] upConvs, float dropout) {

    /** The nonlinearity used throughout the network. */
    public enum Activation {
        /** max(0, x): the blast-segmentation method's choice. */
        RELU,
        /** A learned negative slope per channel: the original V-Net paper's choice. */
        PRELU,
        /** exp(x) − 1 below zero: MONAI's default. */
        ELU
    }

    /**
     * Validates every field and copies the arrays.
     *
     * @param inChannels  input channels (1 for gray, 3 for RGB); any count is allowed
     * @param outChannels output channels (logits), 1 for a blast mask
     * @param activation  the nonlinearity after every batch norm and residual sum
     * @param baseWidth   channels of the input transition (16 in MONAI); stage {@code i} has {@code baseWidth·2^i}
     * @param downConvs   the number of 5×5 convolutions in each of the four down stages
     * @param upConvs     the number of 5×5 convolutions in each of the four up stages
     * @param dropout     2D (whole-channel) dropout probability in the two deepest down and up stages; 0 = off
     */
    public VNetConfig {
        if (inChannels < 1 || outChannels < 1) {
            throw new IllegalArgumentException("VNet: inChannels and outChannels must be >= 1, got "
                    + inChannels + " and " + outChannels);
        }
        if (activation == null) {
            throw new IllegalArgumentException("VNet: activation must be one of relu, prelu, elu, got null");
        }
        if (baseWidth < 1) {
            throw new IllegalArgumentException("VNet: baseWidth must be >= 1, got " + baseWidth);
        }
        if (downConvs == null || downConvs.length != 4 || upConvs == null || upConvs.length != 4) {
            throw new IllegalArgumentException("VNet: downConvs and upConvs need 4 counts each, got "
                    + Arrays.toString(downConvs) + " and " + Arrays.toString(upConvs));
        }
        for (int i = 0; i < 4; i++) {
            if (downConvs[i] < 0 || upConvs[i] < 0) {
                throw new IllegalArgumentException("VNet: conv counts must be >= 0, got "
                        + Arrays.toString(downConvs) + " and " + Arrays.toString(upConvs));
            }
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("VNet: dropout must be in [0, 1), got " + dropout);
        }
        downConvs = downConvs.clone();
        upConvs = upConvs.clone();
    }

    /**
     * MONAI's 2D layout: 1 → 1 channel, ReLU, width 16, convs 1,2,3,2 / 2,2,1,1, no dropout.
     *
     * @return MONAI's layout
     */
    public static VNetConfig monai() {
        return new VNetConfig(1, 1, Activation.RELU, 16, new int[] {1, 2, 3, 2}, new int[] {2, 2, 1, 1}, 0f);
    }

    /** {@return the original paper's conv counts (2,3,3,3 / 3,3,2,1) with PReLU, width 16, 1 → 1 channel} */
    public static VNetConfig paper() {
        return new VNetConfig(1, 1, Activation.PRELU, 16, new int[] {2, 3, 3, 3}, new int[] {3, 3, 2, 1}, 0f);
    }

    /** {@return a builder starting from {@link #monai()}} */
    public static Builder builder() {
        return new Builder(monai());
    }

    /** {@return a builder starting from this configuration} */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** {@return the conv counts of the four down stages, a copy} */
    @Override
    public int[] downConvs() {
        return downConvs.clone();
    }

    /** {@return the conv counts of the four up stages, a copy} */
    @Override
    public int[] upConvs() {
        return upConvs.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VNetConfig c && c.inChannels == inChannels && c.outChannels == outChannels
                && c.activation == activation && c.baseWidth == baseWidth && Arrays.equals(c.downConvs, downConvs)
                && Arrays.equals(c.upConvs, upConvs) && Float.compare(c.dropout, dropout) == 0;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(inChannels, outChannels, activation, baseWidth, Arrays.hashCode(downConvs),
                Arrays.hashCode(upConvs), dropout);
    }

    @Override
    public String toString() {
        return "VNetConfig[in=" + inChannels + ", out=" + outChannels + ", " + activation + ", width=" + baseWidth
                + ", down=" + Arrays.toString(downConvs) + ", up=" + Arrays.toString(upConvs) + ", dropout=" + dropout + "]";
    }

    /** Builds a {@link VNetConfig} field by field. */
    public static final class Builder {
        private int inChannels;
        private int outChannels;
        private Activation activation;
        private int baseWidth;
        private int[] downConvs;
        private int[] upConvs;
        private float dropout;

        private Builder(VNetConfig c) {
            inChannels = c.inChannels;
            outChannels = c.outChannels;
            activation = c.activation;
            baseWidth = c.baseWidth;
            downConvs = c.downConvs.clone();
            upConvs = c.upConvs.clone();
            dropout = c.dropout;
        }

        /**
         * Input channels.
         *
         * @param v the number of input channels: 1 for gray, 3 for RGB
         * @return this builder
         */
        public Builder inChannels(int v) {
            inChannels = v;
            return this;
        }

        /**
         * Output channels.
         *
         * @param v the number of output channels
         * @return this builder
         */
        public Builder outChannels(int v) {
            outChannels = v;
            return this;
        }

        /**
         * {@return the activation}
         *
         * @param v the activation of every stage
         */
        public Builder activation(Activation v) {
            activation = v;
            return this;
        }

        /**
         * {@return channels of the input transition}
         *
         * @param v the channel count of the first stage; each down stage doubles it
         */
        public Builder baseWidth(int v) {
            baseWidth = v;
            return this;
        }

        /**
         * Conv counts of the four down stages.
         *
         * @param v four counts, one per down stage
         * @return this builder
         */
        public Builder downConvs(int... v) {
            downConvs = v.clone();
            return this;
        }

        /**
         * Conv counts of the four up stages.
         *
         * @param v four counts, one per up stage
         * @return this builder
         */
        public Builder upConvs(int... v) {
            upConvs = v.clone();
            return this;
        }

        /**
         * 2D dropout probability (0 = off).
         *
         * @param v the probability of dropping a channel, in [0, 1)
         * @return this builder
         */
        public Builder dropout(float v) {
            dropout = v;
            return this;
        }

        /** {@return the configuration; validates it} */
        public VNetConfig build() {
            return new VNetConfig(inChannels, outChannels, activation, baseWidth, downConvs, upConvs, dropout);
        }
    }
}
