"""SANE's own ``test`` backend as the scanner: a real driver stack with no hardware.

SANE reads its configuration from ``SANE_CONFIG_DIR`` (the folder this fixture writes: ``dll.conf``
naming only ``test``, ``test.conf`` giving it an A4 bed), so no system file is touched and no
real scanner on the machine gets in. libsane caches the folder per process, hence one per session.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from scan_samples import write_sane_config


@pytest.fixture(scope="session")
def sane_config(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("sane", reason="python-sane is not installed (pip install python-sane; Debian libsane-dev)")
    folder = write_sane_config(tmp_path_factory.mktemp("sane"))
    os.environ["SANE_CONFIG_DIR"] = str(folder)
    return folder
