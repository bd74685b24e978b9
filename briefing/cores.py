"""How many cores this process may run on: the converter's and the build's process pools and
the rendering processes are sized by it."""

import os


def usable_cores() -> int:
    """The cores this process may use (its affinity, where the system has one), at least 1."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
