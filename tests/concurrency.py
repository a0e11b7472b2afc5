"""Running several writers at the same moment, for the tests of races."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable


def at_once(
    work: Callable[..., None],
    arguments: Iterable[tuple],
    ready_within: float | None = 30,
    finish_within: float | None = 60,
) -> None:
    """Run ``work(ready, *args)`` for each tuple of ``arguments``, each in a thread of its own,
    and wait for them. ``ready()`` returns once every thread has called it, so what follows it
    (a transaction, a request) starts in all threads together."""
    calls = [tuple(args) for args in arguments]
    barrier = threading.Barrier(len(calls))

    def ready() -> None:
        barrier.wait(timeout=ready_within)

    threads = [threading.Thread(target=work, args=(ready, *args)) for args in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=finish_within)
