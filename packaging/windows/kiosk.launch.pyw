"""Start-menu entry: the ticket kiosk, full screen (pythonw: no console window)."""
import sys

from counter_app.cli import main

sys.exit(main(["kiosk", *sys.argv[1:]]))
