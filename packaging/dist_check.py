"""make dist-check: install the built .deb and .exe for real and use them (slow: minutes, not in make test).

Run as root under Xvfb (the Makefile runs it with xvfb-run). The .deb is installed with
``apt-get install ./…deb`` into this machine (a CI or throwaway machine: it adds
/usr/bin/counter-app, /usr/lib/counter-app and a disabled systemd unit, and stays installed);
the .exe is installed silently under wine in a fresh prefix under build/. Each then runs
``--version``, ``seed-demo --dossiers 50``, prints a Mẫu 01 (read back with pdftotext)
and opens its window until the login dialog shows, screenshotted. Figures go to
dist/dist-check.txt as ``name value unit`` lines; any failed check exits 1.
"""
from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from common import BUILD, DIST, version

REPORT: list[str] = []
FAILURES: list[str] = []
LOGIN_TITLES = ("Đăng nhập", "Sign in")
DEMO_ADMIN_PASSWORD = "admin123\n"  # the demo office's accounts are public (README)
# No Mono/Gecko download prompts.
WINE_OVERRIDES = "mscoree,mshtml="
# For the app only (wine's own set-up needs propsys): CPython 3.13's platform module asks
# WMI (_wmi.pyd), which calls propsys.VariantToString, unimplemented in wine 8 (the process
# aborts); with propsys missing _wmi fails to import and platform falls back as designed.
APP_OVERRIDES = WINE_OVERRIDES + ";propsys=d"


def figure(name: str, value: float, unit: str) -> None:
    line = f"{name} {value:.1f} {unit}"
    REPORT.append(line)
    print(line, flush=True)


def check(ok: bool, what: str) -> None:
    print(("ok   " if ok else "FAIL ") + what, flush=True)
    if not ok:
        FAILURES.append(what)


def sh(cmd: list[str], *, stdin: str | None = None, timeout: float = 600,
       env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    # Pipes, never files: wine's console launcher cannot hand a redirected file to Python.
    return subprocess.run(cmd, input=stdin if stdin is not None else "", capture_output=True, text=True,
                          timeout=timeout, env=env)


def smoke(label: str, app: Callable[..., subprocess.CompletedProcess[str]], data: Path,
          database: Path, gui: list[str] | None, shot: Path, env: dict[str, str] | None = None) -> None:
    """The same commands for both packages; ``app(*args)`` runs the installed counter-app."""
    ver = app("--version")
    check(ver.stdout.strip() == f"counter_app {version()}",
          f"{label}: --version says {ver.stdout.strip()!r} {ver.stderr[-300:]}")
    start = time.monotonic()
    seeded = app("seed-demo", "--dossiers", "50")
    figure(f"{label}_seed_demo_50", time.monotonic() - start, "s")
    check(seeded.returncode == 0 and '"total_dossiers": 50' in seeded.stdout,
          f"{label}: seed-demo --dossiers 50 {seeded.stderr[-300:]}")
    if not database.is_file():
        check(False, f"{label}: no database at {database}")
        return
    with sqlite3.connect(database) as db:
        code = db.execute("SELECT code FROM dossiers ORDER BY received_at DESC LIMIT 1").fetchone()[0]
    pdf = data / f"{label}-mau01.pdf"
    printed = app("print", "receipt", code, "--out", str(pdf), "--clerk", "admin", "--password-stdin",
                  stdin=DEMO_ADMIN_PASSWORD)
    check(printed.returncode == 0, f"{label}: print receipt {printed.stderr[-300:]}")
    local_pdf = pdf if pdf.is_file() else None
    if local_pdf is None:
        check(False, f"{label}: no PDF at {pdf}")
    else:
        text = sh(["pdftotext", "-layout", str(local_pdf), "-"]).stdout
        check("GIẤY TIẾP NHẬN HỒ SƠ" in text.upper() and code in text, f"{label}: Mẫu 01 names the dossier {code}")
        fonts = sh(["pdffonts", str(local_pdf)]).stdout
        print(f"{label}: fonts embedded in Mẫu 01:\n{fonts}", flush=True)
    if gui is not None:
        window(label, gui, shot, env)


def window(label: str, cmd: list[str], shot: Path, env: dict[str, str] | None) -> None:
    """Start the app, time the login dialog's appearance, screenshot the screen, stop it."""
    start = time.monotonic()
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    shown = None
    while time.monotonic() - start < 180 and proc.poll() is None:
        tree = subprocess.run(["xwininfo", "-root", "-tree"], capture_output=True).stdout.decode("utf-8", "replace")
        if any(t in tree for t in LOGIN_TITLES):
            shown = time.monotonic() - start
            break
        time.sleep(0.2)
    if shown is not None:
        figure(f"{label}_first_start_to_login", shown, "s")
        time.sleep(2)  # let it paint
        grab = sh([*DEB_PYTHON, GRAB, str(shot)], env={**os.environ, "QT_QPA_PLATFORM": "xcb"})
        check(shot.is_file(), f"{label}: screenshot {shot} {grab.stderr[-300:]}")
    else:
        err = proc.stderr.read().decode("utf-8", "replace")[-600:] if proc.poll() is not None and proc.stderr else ""
        check(False, f"{label}: no login window within 180 s (exit {proc.poll()}) {err}")
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()


DEB_PYTHON = ["/usr/bin/python3.11", "-I", "-c",
              "import sys; sys.path.insert(0, '/usr/lib/counter-app/lib'); exec(sys.argv[1])"]
GRAB = ("from PySide6.QtGui import QGuiApplication\n"
        "app = QGuiApplication(['grab'])\n"
        "assert app.primaryScreen().grabWindow(0).save(sys.argv[2])\n")


def check_deb(deb: Path, work: Path) -> None:
    start = time.monotonic()
    installed = sh(["apt-get", "install", "-y", "--no-install-recommends", str(deb)],
                   env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
    figure("deb_install", time.monotonic() - start, "s")
    check(installed.returncode == 0, f"deb: apt-get install {installed.stderr[-500:]}")
    data = work / "deb-data"
    shutil.rmtree(data, ignore_errors=True)
    unit = (sh(["systemd-analyze", "verify", "/lib/systemd/system/counter-app-server.service"])
            if shutil.which("systemd-analyze") else None)
    if unit is not None:
        check(unit.returncode == 0, f"deb: systemd-analyze verify counter-app-server.service {unit.stderr[-300:]}")

    def app(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        where = [] if args[0] == "--version" else ["--data-dir", str(data)]
        return sh(["/usr/bin/counter-app", *args, *where], stdin=stdin)

    env = {**os.environ, "QT_QPA_PLATFORM": "xcb"}
    smoke("deb", app, data, data / "counter.sqlite", ["/usr/bin/counter-app", "--data-dir", str(data)],
          DIST / "dist-check-deb.png", env)


def check_exe(exe: Path, work: Path) -> None:
    prefix = work / "wine-prefix"
    shutil.rmtree(prefix, ignore_errors=True)
    env = {**os.environ, "WINEPREFIX": str(prefix), "WINEDEBUG": "-all", "WINEDLLOVERRIDES": WINE_OVERRIDES}
    try:
        _check_exe(exe, work, prefix, env)
    finally:
        sh(["wineserver", "-k"], env=env)


def _check_exe(exe: Path, work: Path, prefix: Path, env: dict[str, str]) -> None:
    # Not captured: the wineserver it starts lives on and would hold a captured pipe open, so
    # the capture would never end; later commands reuse that server and are captured as usual.
    subprocess.run(["wineboot", "--init"], env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, timeout=300, check=True)
    # Wine ships no Times New Roman: a Windows PC has it at C:\Windows\Fonts\times*.ttf, so the
    # metric-compatible Liberation Serif 2 stands there under those names (the path the app reads).
    fonts = prefix / "drive_c" / "windows" / "Fonts"
    for style, name in (("Regular", "times"), ("Bold", "timesbd"), ("Italic", "timesi"), ("BoldItalic", "timesbi")):
        shutil.copy(f"/usr/share/fonts/truetype/liberation2/LiberationSerif-{style}.ttf", fonts / f"{name}.ttf")
    start = time.monotonic()
    installed = sh(["wine", str(exe), "/S", "/AllUsers"], env=env)
    figure("exe_install_under_wine", time.monotonic() - start, "s")
    home = prefix / "drive_c" / "Program Files" / "Counter App"
    check(installed.returncode == 0 and (home / "pkgs" / "counter_app").is_dir(), f"exe: silent install into {home}")
    menu = prefix / "drive_c" / "ProgramData" / "Microsoft" / "Windows" / "Start Menu" / "Programs" / "Counter App"
    links = sorted(p.name for p in menu.glob("*.lnk"))
    check(len(links) == 3, f"exe: all users' Start-menu entries {links}")
    user = os.environ.get("USER") or "root"
    data = prefix / "drive_c" / "users" / user / "AppData" / "Local" / "counter_app"
    app_env = {**env, "WINEDLLOVERRIDES": APP_OVERRIDES}

    def app(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        # No --data-dir: the default must be %LOCALAPPDATA%\counter_app. Paths as Windows sees them.
        win_args = [a if not a.startswith(str(work)) else "Z:" + a.replace("/", "\\") for a in args]
        return sh(["wine", "C:\\Program Files\\Counter App\\bin\\counter-app.exe", *win_args], stdin=stdin, env=app_env)

    gui = ["wine", "C:\\Program Files\\Counter App\\Python\\pythonw.exe",
           "C:\\Program Files\\Counter App\\app.launch.pyw"]
    # Qt6Core.dll links Windows' own ICU (icuuc.dll, in System32 since Windows 10 1903);
    # wine 8 has none, so no Qt module loads there: the window is checked only where it has one.
    has_icu = (prefix / "drive_c" / "windows" / "system32" / "icuuc.dll").is_file()
    if not has_icu:
        print("SKIP exe: window not opened: this wine has no icuuc.dll, which Qt6Core.dll needs", flush=True)
    smoke("exe", app, data, data / "counter.sqlite", gui if has_icu else None, DIST / "dist-check-exe.png", app_env)
    uninstall = sh(["wine", str(home / "uninstall.exe").replace(str(prefix / "drive_c"), "C:").replace("/", "\\"), "/S",
                    "_?=C:\\Program Files\\Counter App"], env=env)  # _?=: in place, so wine waits for it
    check(uninstall.returncode == 0 and not (home / "pkgs").exists(), "exe: silent uninstall removes the program")
    check((data / "counter.sqlite").is_file(), "exe: the uninstall keeps the data in %LOCALAPPDATA%")


def main() -> int:
    ver = version()
    deb = DIST / f"counter-app_{ver}_amd64.deb"
    exe = DIST / f"counter-app-{ver}-setup.exe"
    work = BUILD / "dist-check"
    work.mkdir(parents=True, exist_ok=True)
    for artefact in (exe, deb):
        if artefact.is_file():
            figure(f"size_{artefact.suffix.lstrip('.')}", artefact.stat().st_size / 2**20, "MiB")
        else:
            check(False, f"{artefact} is missing: run make dist first")
    if "--exe-only" not in sys.argv and deb.is_file():  # first: the exe's screenshot uses its Qt
        check_deb(deb, work)
    if "--deb-only" not in sys.argv and exe.is_file():
        check_exe(exe, work)
    (DIST / "dist-check.txt").write_text("\n".join(REPORT) + "\n", encoding="utf-8")
    print(f"{len(FAILURES)} failed" if FAILURES else "all checks passed")
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())
