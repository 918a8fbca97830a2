#!/usr/bin/python3
"""OpenCV 4.6 timings of the preprocessing filters on a 2592x1944 RGB image, one thread by default.

    /usr/bin/python3 tools/bench/opencv_filters.py [threads] [name filter]

Prints, per operation, the median of 7 runs in milliseconds: wall-clock time and the CPU time of the calling
thread (time.thread_time(); with one thread OpenCV runs on the calling thread, so this is the operation's own
CPU time, which other jobs on a shared machine disturb far less). Compare with vnet-bench's FilterTiming (same
operations in the same order, same image size, random content smoothed the same way), run back to back.
"""
import sys
import time

import cv2
import numpy as np

threads = int(sys.argv[1]) if len(sys.argv) > 1 else 1
cv2.setNumThreads(threads)
rng = np.random.default_rng(1)
img = rng.integers(0, 256, (1944, 2592, 3), dtype=np.uint8)
# smooth it a little so it looks more like a photo than white noise (the median's cost can depend on content)
img = cv2.blur(img, (3, 3))

gray = cv2.cvtColor(img, cv2.COLOR_RGB2GRAY)
clahe = cv2.createCLAHE(clipLimit=2.0, tileGridSize=(8, 8))


def clahe_lab():
    """CLAHE on the L channel of Lab and back (Clahe.ColorMode.LAB_LIGHTNESS); img is taken as RGB, as in Java."""
    l, a, b = cv2.split(cv2.cvtColor(img, cv2.COLOR_RGB2Lab))
    return cv2.cvtColor(cv2.merge((clahe.apply(l), a, b)), cv2.COLOR_Lab2RGB)


def paper():
    """PreprocessConfig.paper().pipeline(): gray, resize to 256x256 (linear), Gaussian k=5, median k=5, CLAHE 2.0 on 8x8 tiles."""
    g = cv2.cvtColor(img, cv2.COLOR_RGB2GRAY)
    g = cv2.resize(g, (256, 256), interpolation=cv2.INTER_LINEAR)
    g = cv2.GaussianBlur(g, (5, 5), 0)
    g = cv2.medianBlur(g, 5)
    return clahe.apply(g)


ops = {
    "resize LINEAR 256x256": lambda: cv2.resize(img, (256, 256), interpolation=cv2.INTER_LINEAR),
    "resize AREA 256x256": lambda: cv2.resize(img, (256, 256), interpolation=cv2.INTER_AREA),
    "resize LINEAR 1296x972 (2x)": lambda: cv2.resize(img, (1296, 972), interpolation=cv2.INTER_LINEAR),
    "resize NEAREST 256x256": lambda: cv2.resize(img, (256, 256), interpolation=cv2.INTER_NEAREST),
    "RGB2GRAY": lambda: cv2.cvtColor(img, cv2.COLOR_RGB2GRAY),
    "GaussianBlur k=5": lambda: cv2.GaussianBlur(img, (5, 5), 0),
    "GaussianBlur k=15": lambda: cv2.GaussianBlur(img, (15, 15), 0),
    "medianBlur k=3": lambda: cv2.medianBlur(img, 3),
    "medianBlur k=5": lambda: cv2.medianBlur(img, 5),
    "medianBlur k=9": lambda: cv2.medianBlur(img, 9),
    "medianBlur k=21": lambda: cv2.medianBlur(img, 21),
    "CLAHE gray 2.0 8x8": lambda: clahe.apply(gray),
    "CLAHE RGB (Lab) 2.0 8x8": clahe_lab,
    "paper pipeline": paper,
}
print("OpenCV %s, %d thread(s), image %s" % (cv2.__version__, threads, img.shape))
print("%-30s %11s %11s" % ("operation", "wall", "thread CPU"))
name_filter = sys.argv[2] if len(sys.argv) > 2 else ""
for name, fn in ops.items():
    if name_filter not in name:
        continue
    fn()
    wall = []
    cpu = []
    for _ in range(7):
        c0 = time.thread_time()
        t0 = time.perf_counter()
        fn()
        wall.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.thread_time() - c0) * 1000)
    print("%-30s %8.2f ms %8.2f ms" % (name, sorted(wall)[3], sorted(cpu)[3]))
