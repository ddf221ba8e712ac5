"""Run in a fresh process by bench/__main__.py: start the real program on a database, report
when the populated table is on screen (its tab opened after the start screen is ready), then
type into the search field and time each keystroke until the table is repainted.

Prints one line of key=value figures. argv: DATABASE PARENT_MONOTONIC_AT_SPAWN [KEY_HEX]
With KEY_HEX the key is found in a keychain (an in-memory one standing in for the system's);
without it the program unwraps the key from the recovery passphrase (UITSTROOM_PASSPHRASE_FILE).
"""

from __future__ import annotations

import sys
import time
from typing import ClassVar


def main() -> None:
    database, spawned = sys.argv[1], float(sys.argv[2])
    if len(sys.argv) > 3:
        from pathlib import Path

        import keyring
        from keyring.backend import KeyringBackend

        from uitstroom.storage import keychain
        from uitstroom.storage.keys import read_keyfile

        class Keychain(KeyringBackend):
            priority = 1  # type: ignore[assignment]
            store: ClassVar[dict[tuple[str, str], str]] = {}

            def get_password(self, service: str, username: str) -> str | None:
                return self.store.get((service, username))

            def set_password(self, service: str, username: str, password: str) -> None:
                self.store[(service, username)] = password

            def delete_password(self, service: str, username: str) -> None:
                self.store.pop((service, username), None)

        keyring.set_keyring(Keychain())
        keychain.store_key(read_keyfile(Path(database)).database_id, bytes.fromhex(sys.argv[3]))

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QLineEdit, QTableView

    from uitstroom.app import run_gui
    from uitstroom.ui.main_window import MainWindow

    app = QApplication(sys.argv[:1])
    figures: dict[str, float] = {}

    def measure() -> None:
        window = next(w for w in app.topLevelWidgets() if isinstance(w, MainWindow))
        table = window.findChild(QTableView, "cohort")
        # What the program does once it runs: the statuses, the Vandaag list.
        app.processEvents()
        # With checklists the start screen is Vandaag and the table is on the next tab; timing
        # the repaint of a hidden table timed nothing. Open its tab, as the user does.
        window.show_cohort_page()
        app.processEvents()
        assert table.isVisible()
        table.viewport().repaint()
        figures["rows"] = table.model().rowCount()
        figures["startup_s"] = time.monotonic() - spawned
        search = window.findChild(QLineEdit, "search")
        timings = []
        for text in (
            "j",
            "ja",
            "jan",
            "jans",
            "janse",
            "jansen",
            "jansen",
            "",
            "p",
            "pr",
            "pro4",
            "pro4a",
            "",
        ):
            start = time.perf_counter()
            search.setText(text)
            app.processEvents()
            table.viewport().repaint()
            timings.append((time.perf_counter() - start) * 1000)
        figures["search_ms_max"] = max(timings)
        figures["search_ms_median"] = sorted(timings)[len(timings) // 2]
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(("VmHWM", "VmRSS")):
                    figures[line.split(":")[0]] = int(line.split()[1]) / 1024
        window.close()
        app.quit()

    QTimer.singleShot(0, measure)
    run_gui(database)
    print(" ".join(f"{k}={v:.3f}" for k, v in figures.items()), flush=True)


if __name__ == "__main__":
    main()
