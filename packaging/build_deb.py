"""dist/counter-app_<version>_amd64.deb: the app for Linux counter PCs, and the sync server/hub.

Everything the app needs from PyPI goes into /usr/lib/counter-app/lib (pinned to the
versions the test suite ran with, built for Debian 12's python3.11), the app as git tracks
it into /usr/lib/counter-app/app; /usr/bin/counter-app runs it with ``python3 -I`` so no
user's PYTHONPATH or ~/.local packages can shadow what was tested. The Debian packages the
app needs are the ones scripts/system-deps.sh lists for `make run`. The sync server comes as
a systemd unit (counter-app-server.service), installed but not enabled: a hub or server PC
enables it after setting its database in /etc/default/counter-app-server.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from common import (
    BUILD,
    DIST,
    ROOT,
    prune_qt,
    requirements,
    run,
    tracked_files,
    version,
    write_constraints,
)

WORK = BUILD / "deb"
PREFIX = "usr/lib/counter-app"
PYTHON = "python3.11"  # the wheels below are cp311: Debian 12's python3

LAUNCHER = """#!/bin/sh
# -I: only the packaged libraries, never a PYTHONPATH or ~/.local package of this user.
exec /usr/bin/python3.11 -I /usr/lib/counter-app/launch.py "$@"
"""
LAUNCH_PY = """import sys

sys.path[:0] = ["/usr/lib/counter-app/app", "/usr/lib/counter-app/lib"]
from counter_app.cli import main  # noqa: E402

sys.exit(main())
"""
UNIT = """[Unit]
Description=counter_app sync server (office hub or upstream server)
Documentation=file:///usr/share/doc/counter-app/README.md
After=network-online.target postgresql.service
Wants=network-online.target

[Service]
EnvironmentFile=-/etc/default/counter-app-server
# Its own system user, created by systemd; the data (keys, SQLite hub) in /var/lib/counter-app-server.
DynamicUser=yes
StateDirectory=counter-app-server
Environment=COUNTER_APP_DATA=/var/lib/counter-app-server
ExecStart=/bin/sh -c 'exec /usr/bin/counter-app serve --host "$HOST" --port "$PORT" $SERVE_ARGS'
Restart=on-failure
RestartSec=5
NoNewPrivileges=yes
ProtectSystem=strict
ProtectHome=yes
PrivateTmp=yes

[Install]
WantedBy=multi-user.target
"""
DEFAULTS = """# Settings of counter-app-server.service (systemctl restart counter-app-server after a change).
# Listen on this machine only behind a TLS reverse proxy (nginx, Caddy); 0.0.0.0 to serve the LAN.
HOST=127.0.0.1
PORT=8765
# More arguments of `counter-app serve`: the database (default: SQLite in /var/lib/counter-app-server),
# an office hub's upstream, TLS files. E.g.
#   SERVE_ARGS=--db postgresql+psycopg://counter@localhost:5432/counter
SERVE_ARGS=
# Updates offered to the counters: the installer they download (hashed at start), and the oldest
# version still allowed to push (older counters keep their changes until they are updated). E.g.
#   COUNTER_APP_UPDATE_INSTALLER=/srv/counter-app/counter-app-0.2.0-setup.exe
#   COUNTER_APP_UPDATE_MINIMUM=0.1.0
"""
DESKTOP = """[Desktop Entry]
Type=Application
Name={name}
Name[vi]={name_vi}
Exec=/usr/bin/counter-app {command}
Terminal=false
Categories=Office;
"""
ENTRIES = (("counter-app", "Counter App", "Ứng dụng Một cửa", "gui"),
           ("counter-app-kiosk", "Counter App - Kiosk", "Ứng dụng Một cửa - Máy lấy số", "kiosk"),
           ("counter-app-display", "Counter App - Display", "Ứng dụng Một cửa - Màn hình chờ", "display"))


def main() -> Path:
    ver = version()
    root = WORK / "root"
    shutil.rmtree(WORK, ignore_errors=True)
    lib = root / PREFIX / "lib"
    constraints = write_constraints(WORK / "constraints.txt")
    if sys.version_info[:2] != (3, 11) or sys.platform != "linux":
        raise SystemExit(f"build the .deb with a Linux Python 3.11 (Debian 12's), not {sys.version.split()[0]}")
    # This interpreter's wheels are the ones Debian 12's python3.11 loads (same ABI and glibc line).
    run([sys.executable, "-m", "pip", "install", "--quiet", "--no-compile", "--only-binary=:all:",
         "--target", lib, "-c", constraints, *requirements()])
    saved = prune_qt(lib)
    print(f"left out unused Qt parts: {saved / 2**20:.0f} MiB")
    shutil.rmtree(lib / "bin", ignore_errors=True)  # console scripts pointing at the build's Python
    for path in tracked_files("counter_app") + tracked_files("resources"):
        target = root / PREFIX / "app" / path.relative_to(ROOT)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)
    _write(root / PREFIX / "launch.py", LAUNCH_PY)
    _write(root / "usr/bin/counter-app", LAUNCHER, mode=0o755)
    _write(root / "lib/systemd/system/counter-app-server.service", UNIT)
    _write(root / "etc/default/counter-app-server", DEFAULTS)
    for file, name, name_vi, command in ENTRIES:
        _write(root / f"usr/share/applications/{file}.desktop",
               DESKTOP.format(name=name, name_vi=name_vi, command=command))
    shutil.copy(ROOT / "README.md", _dir(root / "usr/share/doc/counter-app") / "README.md")

    debian = _dir(root / "DEBIAN")
    size_kib = sum(f.stat().st_size for f in root.rglob("*") if f.is_file()) // 1024
    depends = ", ".join([PYTHON, *_app_packages()])
    _write(debian / "control", f"""Package: counter-app
Version: {ver}
Architecture: amd64
Maintainer: counter_app <counter-app@localhost>
Installed-Size: {size_kib}
Depends: {depends}
Section: misc
Priority: optional
Description: Desktop application for Vietnam's one-stop counters (Bo phan Mot cua)
 Reception, queue, handover and return of administrative dossiers, with the sync
 server / office hub (counter-app-server.service, not enabled by default).
""")
    _write(debian / "conffiles", "/etc/default/counter-app-server\n")
    # Compile at install time, for the python3.11 that runs it; removed with the package.
    _write(debian / "postinst", f"""#!/bin/sh
set -e
{PYTHON} -m compileall -q /{PREFIX} >/dev/null 2>&1 || true
if [ -d /run/systemd/system ]; then systemctl daemon-reload || true; fi
""", mode=0o755)
    _write(debian / "prerm", f"""#!/bin/sh
set -e
if [ -d /run/systemd/system ]; then systemctl stop counter-app-server.service 2>/dev/null || true; fi
find /{PREFIX} -name __pycache__ -type d -prune -exec rm -rf {{}} + 2>/dev/null || true
""", mode=0o755)
    DIST.mkdir(exist_ok=True)
    out = DIST / f"counter-app_{ver}_amd64.deb"
    run(["dpkg-deb", "--root-owner-group", "-Zxz", "--build", root, out])
    print(f"{out} {out.stat().st_size / 2**20:.1f} MiB")
    return out


def _app_packages() -> list[str]:
    listed = subprocess.run([ROOT / "scripts" / "system-deps.sh", "app", "--list"], capture_output=True,
                            text=True, check=True).stdout.split()
    return [p for p in listed if p != "python3-venv"]  # only `make` builds a venv


def _dir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


def _write(path: Path, text: str, mode: int = 0o644) -> None:
    _dir(path.parent)
    path.write_text(text, encoding="utf-8")
    path.chmod(mode)


if __name__ == "__main__":
    main()
