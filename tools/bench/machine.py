"""The machine a benchmark ran on, as dev.vnet.train.bench.Machine names it: CPU model, processors, host name. Every
Python peer in tools/bench/ writes these fields into its JSON, and the comparisons refuse two machines."""
import os


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return os.uname().machine


def host():
    try:
        with open("/proc/sys/kernel/hostname") as f:
            return f.read().strip()
    except OSError:
        return os.environ.get("HOSTNAME", "")


def machine():
    return {"cpu_model": cpu_model(), "processors": len(os.sched_getaffinity(0)), "host": host(),
            "blas": blas_library()}


def require_same(ours, theirs, what):
    """Exit with a message naming both machines when two JSON objects with machine fields come from two machines."""
    a = (ours.get("cpu_model"), ours.get("host"))
    b = (theirs.get("cpu_model"), theirs.get("host"))
    if a != b:
        raise SystemExit(f"{what}: the two sides were measured on different machines ({a[0]} on {a[1]!r} and "
                         f"{b[0]} on {b[1]!r}); run both on the same machine")


def blas_library():
    """The file of the BLAS library this process has loaded (PyTorch's, once torch is imported), or None."""
    try:
        with open("/proc/self/maps") as f:
            names = {line.split()[-1] for line in f if "blas" in line.rsplit("/", 1)[-1].lower()}
    except OSError:
        return None
    return sorted(names)[0] if names else None


def require_optimised_blas(what):
    """Exit when this process's BLAS is the reference one (Debian's libblas3, which python3-torch may pull in alone):
    PyTorch's transposed convolutions and products would run at a few GFLOP/s instead of hundreds, and every ratio
    against it would flatter the other side."""
    lib = blas_library()
    if lib is not None and "/blas/" in lib and "openblas" not in lib and "blis" not in lib and "mkl" not in lib:
        raise SystemExit(f"{what}: PyTorch runs on the reference BLAS ({lib}), a slow peer; install an optimised "
                         "one first (apt-get install -y libopenblas0-pthread)")
