"""Which failures a stage tries again, and how.

Transient failures (a network error, a service answering 429 or 5xx, a GPU out of memory) are
retried by Dagster's retry policy with growing, jittered pauses; permanent ones (a bad request,
a script still invalid after the writer's repairs, a setting the model cannot honour, a refusal
by a speech service) fail at once with `Failure(allow_retries=False)`, saying why. A GPU out of
memory is retried after lowering the memory the models use (one step further offloaded).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from dagster import Backoff, Failure, Jitter, RetryPolicy, RetryRequested

from dreamreel_assets.backends.accelerator import lower_memory_use

TRANSIENT_RETRIES = RetryPolicy(max_retries=2, delay=2, backoff=Backoff.EXPONENTIAL, jitter=Jitter.PLUS_MINUS)
"""Two more tries, after about 2 s and 4 s."""


def _is_out_of_memory(error: BaseException) -> bool:
    try:
        import torch
    except ImportError:
        return False
    return isinstance(error, torch.cuda.OutOfMemoryError)


@contextmanager
def lower_memory_on_oom(stage: str) -> Iterator[None]:
    """A GPU out of memory inside becomes a retry of the stage with the models further offloaded."""
    try:
        yield
    except Exception as error:
        if not _is_out_of_memory(error):
            raise
        lowered = lower_memory_use()
        if lowered is None:
            raise Failure(description=f"{stage}: the GPU ran out of memory even layer by layer "
                                      f"(sequential offload): use a smaller model or generation size",
                          allow_retries=False) from None
        raise RetryRequested(max_retries=2, seconds_to_wait=1) from error


def permanent(description: str) -> Failure:
    return Failure(description=description, allow_retries=False)
