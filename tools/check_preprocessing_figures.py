#!/usr/bin/python3
"""Recomputes the 256x256 steps of docs/images/preprocessing/ with OpenCV 4.6 from the gray figure and checks
that every byte is the same as vnet-ops wrote; also checks that the 256x256 mask is cv2.circle discs drawn
at the original size then resized with INTER_NEAREST.

    /usr/bin/python3 tools/check_preprocessing_figures.py [figureDir]
"""
import os
import sys

import cv2
import numpy as np

assert cv2.__version__.startswith("4.6"), cv2.__version__
cv2.setNumThreads(1)
d = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "docs", "images", "preprocessing")


def read(name):
    img = cv2.imread(os.path.join(d, name), cv2.IMREAD_UNCHANGED)
    assert img is not None, "cannot read " + name
    return img


gray = read("1-gray.png")
steps = [("2-resize.png", lambda x: cv2.resize(x, (256, 256), interpolation=cv2.INTER_LINEAR)),
         ("3-gaussian.png", lambda x: cv2.GaussianBlur(x, (5, 5), 0)),
         ("4-median.png", lambda x: cv2.medianBlur(x, 5)),
         ("5-clahe.png", lambda x: cv2.createCLAHE(clipLimit=2.0, tileGridSize=(8, 8)).apply(x))]
failures = 0
img = gray
for name, f in steps:
    img = f(img)
    ours = read(name)
    diff = int(np.count_nonzero(ours != img))
    print("%-15s %dx%d  pixels different from OpenCV %s: %d" % (name, img.shape[1], img.shape[0], cv2.__version__, diff))
    failures += diff != 0

# The blast centres printed by PreprocessingFigures for Im027_1.
centres = [(220, 414), (355, 178), (517, 22)]
mask = np.zeros(gray.shape, np.uint8)
for c in centres:
    cv2.circle(mask, c, 25, 255, thickness=-1, lineType=cv2.LINE_8)
for name, ref in (("6-mask-original.png", mask),
                  ("7-mask-256.png", cv2.resize(mask, (256, 256), interpolation=cv2.INTER_NEAREST))):
    diff = int(np.count_nonzero(read(name) != ref))
    print("%-22s pixels different from cv2.circle (+ INTER_NEAREST): %d" % (name, diff))
    failures += diff != 0
sys.exit(1 if failures else 0)
