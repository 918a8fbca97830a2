/**
 * {@code vnet tour}: one photograph of a blood smear followed through preprocessing, the V-Net's forward pass, the
 * loss and the backward pass, with a picture of each stage ({@link dev.vnet.cli.tour.SmearTour}, drawn by
 * {@link dev.vnet.cli.tour.TourPictures}); {@code docs/tour.md} is built from its pictures.
 */
package dev.vnet.cli.tour;
