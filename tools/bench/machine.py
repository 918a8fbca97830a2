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
    return {"cpu_model": cpu_model(), "processors": len(os.sched_getaffinity(0)), "host": host()}


def require_same(ours, theirs, what):
    """Exit with a message naming both machines when two JSON objects with machine fields come from two machines."""
    a = (ours.get("cpu_model"), ours.get("host"))
    b = (theirs.get("cpu_model"), theirs.get("host"))
    if a != b:
        raise SystemExit(f"{what}: the two sides were measured on different machines ({a[0]} on {a[1]!r} and "
                         f"{b[0]} on {b[1]!r}); run both on the same machine")
