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
                          errors="replace", timeout=timeout, env=env)  # wine's reg and sc print the ANSI code page


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
        msi = DIST / f"counter-app-{version()}.msi"
        if msi.is_file():  # in the same prefix, the .exe's program uninstalled just before
            check_msi(msi, prefix, env)
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
    # The hub service's python.exe is started by wine's service manager, not by this script, so
    # the app's propsys stand-in (APP_OVERRIDES) is set for python.exe in the prefix's registry.
    sh(["wine", "reg", "add", "HKCU\\Software\\Wine\\AppDefaults\\python.exe\\DllOverrides", "/v", "propsys",
        "/d", "", "/f"], env=env)
    start = time.monotonic()
    installed = sh(["wine", str(exe), "/S", "/AllUsers", "/HUB"], env=env)  # /HUB: the office hub service too
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
    check_hub_service(prefix, app_env)
    uninstall = sh(["wine", str(home / "uninstall.exe").replace(str(prefix / "drive_c"), "C:").replace("/", "\\"), "/S",
                    "_?=C:\\Program Files\\Counter App"], env=env)  # _?=: in place, so wine waits for it
    check(uninstall.returncode == 0 and not (home / "pkgs").exists(), "exe: silent uninstall removes the program")
    check((data / "counter.sqlite").is_file(), "exe: the uninstall keeps the data in %LOCALAPPDATA%")
    service = sh(["wine", "reg", "query", HUB_KEY], env=env)
    check(service.returncode != 0, f"exe: the uninstall removes the {HUB_SERVICE} service {service.stdout[-200:]}")
    hub_data = prefix / "drive_c" / "ProgramData" / "Counter App" / "hub"
    check((hub_data / "serve-args.txt").is_file(), "exe: the uninstall keeps the hub's folder in %PROGRAMDATA%")


def check_msi(msi: Path, prefix: Path, env: dict[str, str]) -> None:
    """The MSI for group policy: its tables read back with msiinfo, then installed silently by
    wine's msiexec (per machine), used, and uninstalled."""
    info = sh(["msiinfo", "suminfo", str(msi)])
    check(info.returncode == 0 and "Template: x64;1033" in info.stdout, f"msi: msiinfo suminfo {info.stdout[-300:]}")
    rows = sh(["msiinfo", "export", str(msi), "File"]).stdout.splitlines()[3:]  # after the 3 header lines
    laid_out = BUILD / "windows" / "msi-root"
    expected = sum(1 for p in laid_out.rglob("*") if p.is_file()) if laid_out.is_dir() else 0
    check(len(rows) > 1000 and (not expected or len(rows) == expected),
          f"msi: its File table lists {len(rows)} files (the laid-out program: {expected})")
    shortcuts = sh(["msiinfo", "export", str(msi), "Shortcut"]).stdout.splitlines()[3:]
    check(len(shortcuts) == 3, f"msi: three Start-menu shortcuts {[r.split(chr(9))[2] for r in shortcuts]}")
    home = prefix / "drive_c" / "Program Files" / "Counter App"
    check(not (home / "Python").exists(), "msi: the .exe's program is gone before the MSI is installed")
    win_msi = "Z:" + str(msi).replace("/", "\\")
    start = time.monotonic()
    installed = sh(["wine", "msiexec", "/i", win_msi, "/qn"], env=env, timeout=1200)
    figure("msi_install_under_wine", time.monotonic() - start, "s")
    check(installed.returncode == 0 and (home / "pkgs" / "counter_app").is_dir() and (home / "Python").is_dir(),
          f"msi: msiexec /i /qn into {home} (exit {installed.returncode}) {installed.stderr[-300:]}")
    # Wine's msiexec puts ProgramMenuFolder in the user's Start menu even with ALLUSERS=1 (the MSI's
    # Property table has it): either is accepted here, and which one is said.
    user = os.environ.get("USER") or "root"
    menus = {"all users": prefix / "drive_c" / "ProgramData" / "Microsoft" / "Windows" / "Start Menu" / "Programs",
             "the user's": prefix / "drive_c" / "users" / user / "AppData" / "Roaming" / "Microsoft" / "Windows"
             / "Start Menu" / "Programs"}
    found = {who: sorted(p.name for p in (menu / "Counter App").glob("*.lnk")) for who, menu in menus.items()}
    check(any(len(links) == 3 for links in found.values()), f"msi: three Start-menu entries {found}")
    app_env = {**env, "WINEDLLOVERRIDES": APP_OVERRIDES}
    ver = sh(["wine", "C:\\Program Files\\Counter App\\bin\\counter-app.exe", "--version"], env=app_env)
    check(ver.stdout.strip() == f"counter_app {version()}", f"msi: --version says {ver.stdout.strip()!r} "
                                                            f"{ver.stderr[-300:]}")
    start = time.monotonic()
    removed = sh(["wine", "msiexec", "/x", win_msi, "/qn"], env=env, timeout=1200)
    figure("msi_uninstall_under_wine", time.monotonic() - start, "s")
    check(removed.returncode == 0 and not (home / "pkgs").exists(),
          f"msi: msiexec /x /qn removes the program (exit {removed.returncode}) {removed.stderr[-300:]}")


HUB_SERVICE = "CounterAppHub"
HUB_KEY = f"HKLM\\SYSTEM\\CurrentControlSet\\Services\\{HUB_SERVICE}"
HUB_URL = "http://127.0.0.1:8765/api/v1/enroll"  # serve-args.txt's default port; any JSON answer will do


def check_hub_service(prefix: Path, env: dict[str, str]) -> None:
    """The installer's /HUB component: registered with wine's service manager, started by it, its
    data under %PROGRAMDATA%; answering HTTP as the office hub, then stopped on request, where this
    wine can load the server's modules."""
    python = "C:\\Program Files\\Counter App\\Python\\python.exe"
    script = "C:\\Program Files\\Counter App\\hub_service.py"
    checked = sh(["wine", python, script, "check"], env=env)
    check(checked.returncode == 0 and "ProgramData\\Counter App\\hub" in checked.stdout,
          f"hub: the service module imports and reads its settings {checked.stdout[-300:]} {checked.stderr[-300:]}")
    key = sh(["wine", "reg", "query", HUB_KEY], env=env)
    check(key.returncode == 0 and "hub_service.py" in key.stdout and "python.exe" in key.stdout
          and "0x2" in key.stdout, f"hub: service {HUB_SERVICE} registered, automatic, as python.exe hub_service.py "
                                   f"{key.stdout[-300:]}")
    # Wine ends the service manager's processes once no other program of the prefix runs (this
    # script's waits run none): a program kept waiting meanwhile lets the service run.
    # Pipes, not /dev/null: wine cannot hand Python a redirected file as its standard streams.
    keeper = subprocess.Popen(["wine", python, "-c", "import time; time.sleep(900)"], env=env,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        _check_running_hub(prefix, env, python, script)
    finally:
        keeper.kill()
        keeper.wait(10)


def _check_running_hub(prefix: Path, env: dict[str, str], python: str, script: str) -> None:
    sh(["wine", python, script, "start"], env=env)  # started at install; again, had wine ended it since
    start = time.monotonic()
    started = "starting: serve --data-dir C:\\ProgramData\\Counter App\\hub"
    # pydantic-core (Rust) imports bcryptprimitives.dll's ProcessPrng, which wine 8 lacks: no
    # FastAPI server loads here (the counter's own commands never import it), so the running
    # service is only looked at, not judged.
    if not (prefix / "drive_c" / "windows" / "system32" / "bcryptprimitives.dll").is_file():
        seen = _wait_for(lambda: "stopped (exit code" in _hub_log(prefix), 180)
        said = "ran and stopped" if seen else "was not seen running"
        print(f"SKIP hub: no server under wine 8 (pydantic_core's .pyd needs bcryptprimitives.dll); the service "
              f"{said} (its log: {_hub_log(prefix)[-400:]})", flush=True)
        return
    ran = _wait_for(lambda: started in _hub_log(prefix), 120)
    figure("hub_service_started", time.monotonic() - start, "s")
    check(ran, f"hub: the service manager started it (its log: {_hub_log(prefix)[-300:]})")
    answered = _hub_answer(120)
    figure("hub_service_first_answer", time.monotonic() - start, "s")
    check(answered, f"hub: the service answers {HUB_URL} (log: {_hub_log(prefix)})")
    start = time.monotonic()
    stopped = sh(["wine", python, script, "stop"], env=env)
    figure("hub_service_stop", time.monotonic() - start, "s")
    check(stopped.returncode == 0 and not _hub_answer(3),
          f"hub: stopped on request {stopped.stdout[-300:]} {stopped.stderr[-300:]}")


def _wait_for(condition: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(1)
    return False


def _hub_answer(seconds: float) -> bool:
    import json
    import urllib.error
    import urllib.request

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        request = urllib.request.Request(HUB_URL, data=b'{"code": "WRONG", "device_name": "dist-check"}',
                                         headers={"Content-Type": "application/json"})
        try:
            urllib.request.urlopen(request, timeout=5)
            return True
        except urllib.error.HTTPError as exc:  # the hub refusing a wrong code: it is up
            return bool(json.loads(exc.read() or b"{}").get("code"))
        except (OSError, ValueError):
            time.sleep(1)
    return False


def _hub_log(prefix: Path) -> str:
    log = prefix / "drive_c" / "ProgramData" / "Counter App" / "hub" / "logs" / "hub-service.log"
    return log.read_text(encoding="utf-8", errors="replace")[-1500:] if log.is_file() else "no log"


def main() -> int:
    ver = version()
    deb = DIST / f"counter-app_{ver}_amd64.deb"
    exe = DIST / f"counter-app-{ver}-setup.exe"
    msi = DIST / f"counter-app-{ver}.msi"
    work = BUILD / "dist-check"
    work.mkdir(parents=True, exist_ok=True)
    for artefact in (exe, msi, deb):
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
