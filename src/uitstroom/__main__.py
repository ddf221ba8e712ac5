"""`uitstroom` with no arguments opens the window; with a sub-command it runs headless."""

from __future__ import annotations

import gc
import sys


def _show_in_window(error: BaseException) -> bool:
    if "PySide6.QtWidgets" not in sys.modules:  # a command without a window
        return False
    from uitstroom.ui.crash_dialog import show_crash

    return show_crash(error)


def main() -> int:
    # The start imports some 600 modules: 100,000 objects that live as long as the program and
    # almost no garbage (680 objects). The collector's 220 passes over them cost 48 ms of a
    # 700 ms start; it is on again once the imports are done: before the window opens the
    # database (app.run_gui), before a command runs (cli.main), with
    # services.speed.start_made_lasting.
    gc.disable()
    from uitstroom.logbook import catch_unexpected, start_log

    # The installed program keeps a log and shows an unexpected error instead of vanishing;
    # the window shows it calmly, the command line logs it and prints Python's own report.
    start_log()
    catch_unexpected(_show_in_window)
    from uitstroom.cli import main as cli_main

    return cli_main(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
