"""The power-tuning model: how a function's duration changes with its memory.

Lambda gives a function CPU in proportion to its memory, up to one full vCPU at 1,769 MB. A
function's duration splits into a CPU-bound part (``workload.cpu_bound``), which scales with
the CPU share, and a waiting part (I/O, downstream calls), which does not.
"""

from __future__ import annotations

FULL_VCPU_MB = 1769
MEMORY_CHOICES = (256, 384, 512, 640, 768, 1024, 1280, 1536, 1769, 2048, 3008)
"""Memory sizes the right-sizing recommendation tries. None below 256 MB: a Python function
with Powertools and the AWS SDK loaded needs about that much to start without paging."""


def cpu_share(memory_mb: float) -> float:
    """The share of one vCPU a function gets at this memory (1.0 from 1,769 MB up)."""
    return min(memory_mb, FULL_VCPU_MB) / FULL_VCPU_MB


def slowdown(cpu_bound: float, from_mb: float, to_mb: float) -> float:
    """How many times longer a function runs at ``to_mb`` than at ``from_mb``."""
    if from_mb == to_mb:
        return 1.0
    return cpu_bound * cpu_share(from_mb) / cpu_share(to_mb) + (1.0 - cpu_bound)


def duration_at(duration_ms: float, cpu_bound: float, from_mb: float, to_mb: float) -> float:
    """The duration at ``to_mb`` of a function that takes ``duration_ms`` at ``from_mb``."""
    return duration_ms * slowdown(cpu_bound, from_mb, to_mb)
