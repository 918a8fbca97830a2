#!/usr/bin/python3
"""OpenCV 4.6 timings of the preprocessing filters on a 2592x1944 RGB image, one thread.

    /usr/bin/python3 tools/bench/opencv_filters.py [threads]

Prints the median of several runs per operation in milliseconds: wall-clock time and the process's CPU time
(on a shared, loaded machine the CPU time of a one-thread run is the steadier number). Compare with
tools/bench/FilterTiming.java and vnet-bench's FilterBenchmark (same operations, same image size, random
content with a fixed seed).
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

clahe = cv2.createCLAHE(clipLimit=2.0, tileGridSize=(8, 8))


def clahe_lab(rgb):
    lab = cv2.cvtColor(rgb, cv2.COLOR_RGB2Lab)
    l, a, b = cv2.split(lab)
    return cv2.cvtColor(cv2.merge([clahe.apply(l), a, b]), cv2.COLOR_Lab2RGB)


ops = {
    "resize LINEAR 256x256": lambda: cv2.resize(img, (256, 256), interpolation=cv2.INTER_LINEAR),
    "resize AREA 256x256": lambda: cv2.resize(img, (256, 256), interpolation=cv2.INTER_AREA),
    "resize LINEAR 1296x972 (2x)": lambda: cv2.resize(img, (1296, 972), interpolation=cv2.INTER_LINEAR),
    "resize NEAREST 256x256": lambda: cv2.resize(img, (256, 256), interpolation=cv2.INTER_NEAREST),
    "GaussianBlur k=5": lambda: cv2.GaussianBlur(img, (5, 5), 0),
    "GaussianBlur k=15": lambda: cv2.GaussianBlur(img, (15, 15), 0),
    "medianBlur k=3": lambda: cv2.medianBlur(img, 3),
    "medianBlur k=5": lambda: cv2.medianBlur(img, 5),
    "medianBlur k=9": lambda: cv2.medianBlur(img, 9),
    "medianBlur k=21": lambda: cv2.medianBlur(img, 21),
    "CLAHE 2.0 8x8 Lab L": lambda: clahe_lab(img),
    "CLAHE 2.0 8x8 each channel": lambda: cv2.merge([clahe.apply(c) for c in cv2.split(img)]),
}
print("OpenCV %s, %d thread(s), image %s" % (cv2.__version__, threads, img.shape))
for name, fn in ops.items():
    fn()
    times = []
    cpu = []
    for _ in range(7):
        c0 = time.process_time()
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    print("%-30s wall %8.2f ms  cpu %8.2f ms" % (name, sorted(times)[len(times) // 2], sorted(cpu)[len(cpu) // 2]))
