"""Start-menu entry: the counter app (pythonw: no console window)."""
import sys

from counter_app.cli import main

sys.exit(main(sys.argv[1:]))
