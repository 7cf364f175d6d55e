"""Start-menu entry: the waiting-room display, full screen (pythonw: no console window)."""
import sys

from counter_app.cli import main

sys.exit(main(["display", *sys.argv[1:]]))
