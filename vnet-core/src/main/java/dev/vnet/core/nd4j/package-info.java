/**
 * ND4J arrays in and out: {@link dev.vnet.core.nd4j.Nd4jArrays} turns a {@link dev.vnet.core.tensor.Tensor} into an
 * ND4J {@code INDArray} and back, so a DL4J or ND4J pipeline can feed the trainer and read predictions. Nothing else
 * in the library uses ND4J's API (it uses ND4J's OpenBLAS only); ND4J's backend starts on the first call here.
 */
package dev.vnet.core.nd4j;
