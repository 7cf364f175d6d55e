"""``counter_app.cli:main``, the name main.py, the console script and the installers' launchers
call; the command line itself lives in ``counter_app.entry``."""
from .entry.cli import main

__all__ = ["main"]
