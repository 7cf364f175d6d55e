"""Scanner drivers and file intake behind the ports of ``domain/scanning.py``.

``choose_scanner()`` picks the platform's driver: SANE on Linux (``sane_scanner``), TWAIN on
Windows (``twain_scanner``); anything else gets a scanner whose every call says there is no driver.
Each driver module is imported only when chosen: python-sane or pytwain load native libraries.
"""
from __future__ import annotations

import sys

from ..domain.scanning import OnPage, PageImage, ScanError, Scanner, ScannerDevice, ScanSettings


class NoDriver:
    """The scanner of a system with no driver we support: it lists nothing and refuses to scan."""

    def __init__(self, system: str) -> None:
        self.system = system

    def devices(self) -> list[ScannerDevice]:
        raise ScanError("scan.no_driver", system=self.system)

    def scan(self, settings: ScanSettings, on_page: OnPage | None = None) -> list[PageImage]:
        raise ScanError("scan.no_driver", system=self.system)


def choose_scanner(platform: str | None = None) -> Scanner:
    """The driver for ``platform`` (``sys.platform`` by default); never raises, the first use does."""
    platform = platform or sys.platform
    try:
        if platform.startswith("linux"):
            from .sane_scanner import SaneScanner

            return SaneScanner()
        if platform == "win32":
            from .twain_scanner import TwainScanner

            return TwainScanner()
    except ImportError as exc:  # python-sane / pytwain not installed: say so when a scan is asked for
        return NoDriver(f"{platform}: {exc.name or exc}")
    return NoDriver(platform)
