"""The garbage collector paused while records are built, in any thread."""

from __future__ import annotations

import gc
import threading

from uitstroom.services.speed import collector_paused


def test_the_collector_waits_until_the_last_thread_has_built_its_records() -> None:
    """The window's list is read in a thread while Vandaag is built on the UI thread: the
    first to finish must not switch the collector on under the other."""
    assert gc.isenabled()
    inside, leave = threading.Event(), threading.Event()

    def other() -> None:
        with collector_paused():
            inside.set()
            assert leave.wait(10)

    thread = threading.Thread(target=other)
    with collector_paused():
        thread.start()
        assert inside.wait(10)
        assert not gc.isenabled()
    assert not gc.isenabled()  # the other thread is still at work
    leave.set()
    thread.join(10)
    assert gc.isenabled()


def test_a_collector_switched_off_stays_off() -> None:
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
