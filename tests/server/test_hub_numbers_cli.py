"""`dossier receive` on the command line of a counter enrolled with an office hub: the real
hub under uvicorn, the real command line in a subprocess on its own data folder, enrolled
with `enroll` (its device token in keyrings.alt's plaintext file, as a headless machine
keeps it). Its number is the hub's, contiguous with the GUI counters', not its own range."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import test_hub_numbers
from test_hub_numbers import APPLICANT, CLERK, OFFICE, PASSWORD, Tick, counter, receive

office_hub = test_hub_numbers.office_hub  # the real hub under uvicorn, on SQLite and PostgreSQL

REPO = Path(__file__).resolve().parents[2]


def cli(*args: str, data_dir: Path, env: dict[str, str], stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(REPO / "main.py"), *args, "--data-dir", str(data_dir)],
                          input=stdin, capture_output=True, text=True, cwd=REPO, env=env, timeout=120)


def test_command_line_receive_takes_the_hubs_running_numbers(office_hub, tmp_path: Path) -> None:
    hub, live = office_hub
    env = {**os.environ, "PYTHON_KEYRING_BACKEND": "keyrings.alt.file.PlaintextKeyring",
           "XDG_DATA_HOME": str(tmp_path / "keyring-home")}
    gui_counter, _ = counter(tmp_path, "a", hub, live, Tick())
    first = receive(gui_counter)

    folder = tmp_path / "script"
    enrolled = cli("enroll", "--server", live.url, "--code", hub.issue_enroll_code(OFFICE)["code"],
                   "--name", "Máy nhập bù", data_dir=folder, env=env)
    assert enrolled.returncode == 0, enrolled.stderr
    document = json.dumps({"procedure": "1.001193", "applicant": {
        "name": APPLICANT.name, "id_number": APPLICANT.id_number, "phone": APPLICANT.phone,
        "address": APPLICANT.address}}, ensure_ascii=False)
    received = cli("dossier", "receive", "--json", "-", "--clerk", CLERK, "--password-stdin",
                   data_dir=folder, env=env, stdin=f"{PASSWORD}\n{document}")
    assert received.returncode == 0, received.stderr
    dossier = json.loads(received.stdout)

    stem = f"{OFFICE}-{date.today():%y%m%d}-"
    assert first.code == f"{stem}0001" and first.ledger_number == 1
    # The hub's next numbers, not the script counter's reserved range (slot 2: 2001, 2·block + 1).
    assert dossier["code"] == f"{stem}0002"
    assert dossier["ledger"] == {"book": first.ledger_book, "number": 2}
    assert receive(gui_counter).code == f"{stem}0003"
    gui_counter.database.engine.dispose()
