"""Where things live: the data folder and the shipped resources."""
from __future__ import annotations

import os
from pathlib import Path

DB_FILE = "counter.sqlite"
FILES_DIR = "files"  # attachments, content-addressed (storage/file_store.py)


def default_data_dir() -> Path:
    """Per-user data folder (platformdirs), overridable with COUNTER_APP_DATA or --data-dir."""
    env = os.environ.get("COUNTER_APP_DATA")
    if env:
        return Path(env)
    from platformdirs import user_data_dir

    return Path(user_data_dir("counter_app", appauthor=False))


def resources_dir() -> Path:
    """The repository's resources/ (catalogue, fonts); COUNTER_APP_RESOURCES overrides."""
    env = os.environ.get("COUNTER_APP_RESOURCES")
    return Path(env) if env else Path(__file__).resolve().parent.parent / "resources"
