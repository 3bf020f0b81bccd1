"""Work spread over the machine's cores by forking this process: the children start with what
the parent has read and compiled (copy-on-write) and send back only their results."""

from __future__ import annotations

import os
import pickle
import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from multiprocessing.context import BaseContext

Result = TypeVar("Result")


def may_fork() -> bool:
    """Whether this process may fork: not where the platform cannot, nor beside other threads
    (a server, a test harness): a child starts with any lock another thread held at that
    moment held for ever, and whoever waits for the child waits for ever."""
    import threading

    return hasattr(os, "fork") and threading.active_count() == 1


def fork_context() -> BaseContext | None:
    """multiprocessing's fork context where forking is safe (see `may_fork`; imported here: a
    build that needs no pool of processes need not import it)."""
    import multiprocessing

    if "fork" not in multiprocessing.get_all_start_methods() or not may_fork():
        return None
    return multiprocessing.get_context("fork")


@contextmanager
def beside(work: Callable[[], Result]) -> Iterator[Callable[[], Result]]:
    """`work` done by a forked child while the body of the `with` runs here, on another core;
    the body calls what this yields for the result (sent back pickled, waited for then).

    Where the process may not fork, `work` is done here first, before the body. Where the child
    sends back nothing (`work` raised, or the child was killed), `work` is done again here when
    its result is asked for, so that its error is raised here, as without the child. A body
    that leaves without asking (an error) has the child stopped and waited for."""
    if not may_fork():
        result = work()
        yield lambda: result
        return
    reading, writing = os.pipe()
    child = os.fork()
    if child == 0:  # the child: nothing of the parent's runs here (os._exit: no atexit, flush)
        status = 1
        try:
            os.close(reading)
            with os.fdopen(writing, "wb") as pipe:
                pipe.write(pickle.dumps(work()))
            status = 0
        finally:
            os._exit(status)
    os.close(writing)
    sent: list[bytes] = []  # what the child sent (nothing, if it failed), once it has exited
    results: list[Result] = []

    def result() -> Result:
        if not sent:
            with os.fdopen(reading, "rb", closefd=False) as pipe:
                data = pipe.read()
            _, status = os.waitpid(child, 0)
            sent.append(data if status == 0 else b"")
        if not results:
            results.append(pickle.loads(sent[0]) if sent[0] else work())
        return results[0]

    try:
        yield result
    finally:
        if not sent:
            os.kill(child, signal.SIGKILL)
            os.waitpid(child, 0)
        os.close(reading)
