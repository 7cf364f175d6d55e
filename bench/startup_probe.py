"""Start the app as a clerk would (logged in as canbo1) and print "shown" when the main window is up."""
from __future__ import annotations

import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def main() -> None:
    from pathlib import Path

    from counter_app.ui.main import open_main_window_for_benchmark

    open_main_window_for_benchmark(Path(sys.argv[1]), lambda: print("shown", flush=True))


if __name__ == "__main__":
    main()
