"""``python main.py`` (or ``gui``): the desktop app on a data folder."""
from __future__ import annotations

from pathlib import Path

from ..app import build_services, build_sync_services
from ..paths import default_data_dir


def run_gui(data_dir: Path | None = None, argv: list[str] | None = None) -> int:
    """Open the desktop app."""
    from ..ui.main import run

    def factories(folder):  # start-up recovery may switch to another data folder
        return (lambda: build_services(folder)), (lambda services: build_sync_services(folder, services=services))

    services_factory, sync_factory = factories(data_dir)
    return run(services_factory, argv or [], sync_factory=sync_factory, data_dir=Path(data_dir or default_data_dir()),
               reopen=factories)
