"""The office hub as a Windows service (the installer's optional "Máy chủ văn phòng" component).

Run by the embedded Python of the installed program (pywin32's service framework):

    python.exe hub_service.py install | start | stop | remove | status | check

``install`` registers the service (automatic start, LocalSystem) with this script as its program;
the service control manager then starts ``python.exe hub_service.py`` with no argument, which
hands this process to the dispatcher. The service runs ``counter-app serve`` with its data in
``%PROGRAMDATA%\\Counter App\\hub`` (``server.sqlite``, its logs) and the arguments of
``serve-args.txt`` there, one per line (``--host 0.0.0.0``, ``--upstream https://…``,
``--update-installer …``): what ``/etc/default/counter-app-server`` is to the Linux package.
``check`` imports everything the service needs and prints its settings (used by ``make dist-check``).
"""
from __future__ import annotations

import os
import site
import sys
import threading

HERE = os.path.dirname(os.path.abspath(__file__))
for _stream in (sys.stdout, sys.stderr):  # a console or pipe on Windows is cp1252: the names are Vietnamese
    if _stream is not None and hasattr(_stream, "reconfigure"):
        _stream.reconfigure(encoding="utf-8", errors="replace")
# Run by python.exe directly (not through pynsist's launchers): the program's packages are in pkgs\,
# its .pth files (pywin32's, which puts pywin32_system32's DLLs within reach) processed.
if os.path.isdir(os.path.join(HERE, "pkgs")):
    sys.path.insert(0, os.path.join(HERE, "pkgs"))
    site.addsitedir(os.path.join(HERE, "pkgs"))

import servicemanager  # noqa: E402 - pywin32, from pkgs\ above
import win32service  # noqa: E402
import win32serviceutil  # noqa: E402

NAME = "CounterAppHub"
DISPLAY = "Counter App - Máy chủ văn phòng"
DESCRIPTION = "Máy chủ văn phòng (office hub) of the counter app: counters of this office sync through it."


def _program_data() -> str:
    """C:\\ProgramData, asked of Windows: a service's environment need not name it (wine's names
    C:\\users\\Public), and the hub must find the same folder whoever runs this script."""
    try:
        from win32com.shell import shell, shellcon

        return shell.SHGetFolderPath(0, shellcon.CSIDL_COMMON_APPDATA, None, 0)
    except Exception:  # noqa: BLE001 - pywin32's shell module missing: the usual variable
        return os.environ.get("PROGRAMDATA") or r"C:\ProgramData"


DATA = os.path.join(_program_data(), "Counter App", "hub")
ARGS_FILE = os.path.join(DATA, "serve-args.txt")
DEFAULT_ARGS = """\
# Arguments of `counter-app serve` for the office hub service, one per line; lines starting
# with # are ignored. Restart the service after a change (services.msc, or
# `sc stop CounterAppHub` then `sc start CounterAppHub`).
--host
0.0.0.0
--port
8765
# An office hub replicating to the province's server:
# --upstream
# https://dongbo.example.gov.vn
# --upstream-code
# (the one-time code, first start only)
"""


def serve_args() -> list[str]:
    """``serve-args.txt`` (written with the defaults on first use), one argument per line."""
    os.makedirs(DATA, exist_ok=True)
    if not os.path.isfile(ARGS_FILE):
        with open(ARGS_FILE, "w", encoding="utf-8") as file:
            file.write(DEFAULT_ARGS)
    with open(ARGS_FILE, encoding="utf-8-sig") as file:  # Notepad may add a BOM
        lines = [line.strip() for line in file]
    return [line for line in lines if line and not line.startswith("#")]


def serve_command() -> list[str]:
    return ["serve", "--data-dir", DATA, *serve_args()]


class HubService(win32serviceutil.ServiceFramework):
    _svc_name_ = NAME
    _svc_display_name_ = DISPLAY
    _svc_description_ = DESCRIPTION
    # The service's program: this Python and this script (no pythonservice.exe, which could not
    # find the embedded python313.dll).
    _exe_name_ = sys.executable
    _exe_args_ = f'"{os.path.abspath(__file__)}"'

    def __init__(self, args: list[str]) -> None:
        super().__init__(args)
        self.exit_code = 0

    def SvcDoRun(self) -> None:  # noqa: N802 - pywin32's name
        log = _log_to_file()
        print(f"starting: serve {' '.join(serve_command()[1:])}", file=log, flush=True)
        from counter_app.cli import main

        try:  # ServiceFramework.SvcRun has reported it running; it reports it stopped when this returns

            self.exit_code = main(serve_command())
        except BaseException as exc:  # noqa: BLE001 - the service must report, not vanish
            print(f"serve failed: {exc!r}", file=log, flush=True)
            self.exit_code = 1
        print(f"stopped (exit code {self.exit_code})", file=log, flush=True)

    def SvcStop(self) -> None:  # noqa: N802 - pywin32's name
        self.ReportServiceStatus(win32service.SERVICE_STOP_PENDING)
        from counter_app.entry.cli_server import stop_serving

        # From the control handler's thread: uvicorn finishes its requests, then SvcDoRun returns.
        threading.Thread(target=stop_serving, daemon=True).start()


def _log_to_file():
    """A service has no console: what ``serve`` prints goes to the hub's log folder."""
    folder = os.path.join(DATA, "logs")
    os.makedirs(folder, exist_ok=True)
    log = open(os.path.join(folder, "hub-service.log"), "a", encoding="utf-8", buffering=1)  # noqa: SIM115
    sys.stdout = sys.stderr = log
    return log


def check() -> int:
    """Everything the service needs imports, and its settings read: for make dist-check."""
    import counter_app
    from counter_app.entry import cli_server  # noqa: F401 - the serve command and stop_serving

    print(f"service {NAME} ({DISPLAY}); program {HubService._exe_name_} {HubService._exe_args_}")
    print(f"data {DATA}; counter_app {counter_app.__version__}; serve {' '.join(serve_command()[1:])}")
    return 0


def _stop(seconds: int = 30) -> bool:
    """Stop the service and wait until it has; True when it is stopped (or was not running)."""
    try:
        if win32serviceutil.QueryServiceStatus(NAME)[1] != win32service.SERVICE_STOPPED:
            win32serviceutil.StopService(NAME)
            win32serviceutil.WaitForServiceStatus(NAME, win32service.SERVICE_STOPPED, seconds)
        print(f"{NAME} stopped")
        return True
    except Exception as exc:  # noqa: BLE001 - not installed, or it would not stop: said
        print(f"{NAME}: {exc}")
        return False


def main(argv: list[str]) -> int:
    if len(argv) == 1:  # started by the service control manager
        servicemanager.Initialize()
        servicemanager.PrepareToHostSingle(HubService)
        servicemanager.StartServiceCtrlDispatcher()
        return 0
    if argv[1] == "check":
        return check()
    if argv[1] == "install":  # automatic start, and the data folder's settings written once
        serve_args()
        argv = [argv[0], "--startup", "auto", *argv[1:]]
    if argv[1] in ("stop", "remove"):  # and wait: the installer replaces the files next
        stopped = _stop()
        if argv[1] == "stop":
            return 0 if stopped else 1
    return win32serviceutil.HandleCommandLine(HubService, argv=argv) or 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
