"""Ctrl-C and SIGTERM end a build even where a library swallows them.

They unwind the stack as exceptions (KeyboardInterrupt, SystemExit), so that every writer removes
its temporary output. But code that catches every exception turns them into a warning and goes
on: WeasyPrint's image loading (`except BaseException`: the picture "failed to load"), a bare
`except:`, a callback from C. The build then ended with exit 0, an image silently dropped. So
the signal is also remembered here: no output is put in place once it came (atomic.py asks) and
the command exits with the signal's status.
"""

from __future__ import annotations

_received: list[int] = []


def remember(number: int) -> None:
    """Note that the signal `number` came (the handler then raises as usual)."""
    _received.append(number)


def received() -> int | None:
    """The first signal that came, if any."""
    return _received[0] if _received else None


def forget() -> None:
    """A new command begins (the tests run several in one process)."""
    _received.clear()


def stop_if_received() -> None:
    """Raise again the signal that came, if one did and was swallowed on its way."""
    number = received()
    if number is not None:
        raise KeyboardInterrupt if number == 2 else SystemExit(128 + number)
