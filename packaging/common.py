"""What both packages share: the version, the runtime requirements, the pins, the Qt parts left out."""
from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "packaging" / "cache"  # downloads, kept between builds (ignored by git)
BUILD = ROOT / "build"
DIST = ROOT / "dist"

# Qt modules the app never imports (it uses Core, Gui, Widgets, PrintSupport, Pdf, Charts,
# Multimedia): WebEngine alone is ~300 MB unpacked. Globs relative to the folder holding PySide6/.
QT_UNUSED = (
    "PySide6/*WebEngine*", "PySide6/Qt/lib/*WebEngine*", "PySide6/resources/qtwebengine*",
    "PySide6/Qt/resources/qtwebengine*", "PySide6/resources/v8_context_snapshot*",
    "PySide6/Qt/resources/v8_context_snapshot*", "PySide6/translations/qtwebengine*",
    "PySide6/Qt/translations/qtwebengine*", "PySide6/Qt/libexec/QtWebEngineProcess",
    "PySide6/QtWebEngineProcess.exe", "PySide6/*3D*", "PySide6/Qt/lib/*3D*",
    "PySide6/plugins/assetimporters", "PySide6/Qt/plugins/assetimporters",
    "PySide6/plugins/sceneparsers", "PySide6/Qt/plugins/sceneparsers",
    "PySide6/*Designer*", "PySide6/Qt/lib/*Designer*", "PySide6/plugins/designer",
    "PySide6/Qt/plugins/designer", "PySide6/designer*", "PySide6/*.debug.pak",
)


def version() -> str:
    """counter_app.__version__, read without importing the app."""
    text = (ROOT / "counter_app" / "__init__.py").read_text(encoding="utf-8")
    found = re.search(r'^__version__ = "([^"]+)"', text, re.M)
    if found is None:
        raise SystemExit("counter_app/__init__.py has no __version__ line")
    return found.group(1)


def requirements() -> list[str]:
    """The app's runtime requirements, as pyproject.toml declares them."""
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return list(data["project"]["dependencies"])


def write_constraints(path: Path) -> Path:
    """Pin every package to the version the test suite ran with (this interpreter's environment)."""
    frozen = subprocess.run([sys.executable, "-m", "pip", "freeze", "--exclude-editable"],
                            capture_output=True, text=True, check=True).stdout
    pins = [line for line in frozen.splitlines() if "==" in line and not line.startswith("-e")]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(pins) + "\n", encoding="utf-8")
    return path


def prune_qt(site: Path) -> int:
    """Delete the unused Qt parts under ``site``; returns the bytes saved."""
    import shutil

    saved = 0
    for pattern in QT_UNUSED:
        for path in site.glob(pattern):
            if path.is_dir():
                saved += sum(f.stat().st_size for f in path.rglob("*") if f.is_file())
                shutil.rmtree(path)
            elif path.exists():
                saved += path.stat().st_size
                path.unlink()
    return saved


def tracked_files(prefix: str) -> list[Path]:
    """Files git tracks under ``prefix`` (never a stray __pycache__ or a local database)."""
    out = subprocess.run(["git", "ls-files", "-z", prefix], cwd=ROOT, capture_output=True, check=True).stdout
    return [ROOT / name for name in out.decode().split("\0") if name]


def run(cmd: list[str], **kw: object) -> None:
    print("+", " ".join(str(c) for c in cmd), flush=True)
    subprocess.run([str(c) for c in cmd], check=True, **kw)  # type: ignore[arg-type]
