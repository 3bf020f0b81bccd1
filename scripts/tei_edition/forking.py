"""Work spread over the machine's cores by forking this process: the children start with what
the parent has read and compiled (copy-on-write) and send back only their results."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from multiprocessing.context import BaseContext


def fork_context() -> BaseContext | None:
    """multiprocessing's fork context where forking is safe (imported here: a build that needs
    no second process need not import it). A process running other threads (a server, a test
    harness) is not forked: a child starts with any lock another thread held at that moment
    held for ever, and the pool waits on it for ever."""
    import multiprocessing
    import threading

    if "fork" not in multiprocessing.get_all_start_methods() or threading.active_count() > 1:
        return None
    return multiprocessing.get_context("fork")
