"""scripts/system-deps.sh: the one list of Debian packages behind `make run`, `make test` and CI.

CI runs .ci/run as root, which installs the list first; so here nothing may be missing,
and every library Qt's platform plugins link must resolve (a minimal Debian lacks
libxcb-icccm4/libxcb-keysyms1 and `make run` aborted in Qt's xcb plugin).
"""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "system-deps.sh"
FAKE = "counter-app-no-such-package"

pytestmark = pytest.mark.skipif(shutil.which("dpkg-query") is None, reason="not a Debian system")


def _run(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(SCRIPT), *args], capture_output=True, text=True, env={**os.environ, **env}, timeout=60)


def test_check_mode_reports_nothing_missing():
    result = _run("test", "--check")
    assert result.returncode == 0, result.stderr
    assert "are installed" in result.stdout
    assert result.stderr == ""


def test_a_normal_user_gets_one_install_command_and_a_failing_exit():
    result = _run("app", SYSTEM_DEPS_NOT_ROOT="1", SYSTEM_DEPS_EXTRA=FAKE)
    assert result.returncode == 1
    commands = [line.strip() for line in result.stderr.splitlines() if "apt-get install" in line]
    # Only the missing package, nothing already installed, and in a form to paste as is.
    assert commands in ([f"sudo apt-get install -y {FAKE}"], [f"su -c 'apt-get install -y {FAKE}'"]), result.stderr
    assert f"not installed: {FAKE}" in result.stderr
    assert result.stdout == ""


def test_check_mode_names_what_is_missing_without_installing():
    # As root too: --check never installs (an attempt would fail on the fake name anyway).
    result = _run("app", "--check", SYSTEM_DEPS_EXTRA=FAKE)
    assert result.returncode == 1
    assert result.stderr.strip().endswith(f"missing Debian packages for 'app': {FAKE}")


def test_make_run_stops_at_the_install_command_before_starting_anything():
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    result = subprocess.run(["make", "-s", "run"], cwd=ROOT, capture_output=True, text=True, timeout=60,
                            env={**os.environ, "SYSTEM_DEPS_NOT_ROOT": "1", "SYSTEM_DEPS_EXTRA": FAKE})
    assert result.returncode != 0
    assert f"apt-get install -y {FAKE}" in result.stderr
    assert "main.py" not in result.stdout + result.stderr


def test_the_list_has_the_app_packages_and_the_test_tools():
    app = _run("app", "--list").stdout.split()
    everything = _run("test", "--list").stdout.split()
    assert {"libxcb-cursor0", "libxcb-icccm4", "libxcb-keysyms1", "libxkbcommon-x11-0", "python3-venv"} <= set(app)
    assert set(app) < set(everything)
    assert {"poppler-utils", "zbar-tools", "xvfb"} <= set(everything) - set(app)


def _qt_binaries() -> list[Path]:
    import PySide6

    qt = Path(PySide6.__file__).parent / "Qt"
    plugins = qt / "plugins"
    libs = [qt / "lib" / f"libQt6{name}.so.6" for name in
            ("Core", "Gui", "Widgets", "XcbQpa", "Multimedia", "Pdf", "PrintSupport", "Charts", "Network", "DBus")]
    return [*libs, plugins / "platforms" / "libqxcb.so", plugins / "platforms" / "libqoffscreen.so",
            *sorted((plugins / "xcbglintegrations").glob("*.so")), *sorted((plugins / "multimedia").glob("*.so")),
            *sorted((plugins / "printsupport").glob("*.so"))]


def test_every_library_qt_links_resolves():
    if shutil.which("ldd") is None:
        pytest.skip("ldd is not installed")
    binaries = [p for p in _qt_binaries() if p.exists()]
    assert any(p.name == "libqxcb.so" for p in binaries), "PySide6 without the xcb platform plugin?"
    unresolved = {}
    for binary in binaries:
        out = subprocess.run(["ldd", str(binary)], capture_output=True, text=True).stdout
        missing = [line.split()[0] for line in out.splitlines() if "not found" in line]
        if missing:
            unresolved[binary.name] = missing
    assert unresolved == {}, f"add their Debian packages to scripts/system-deps.sh: {unresolved}"
