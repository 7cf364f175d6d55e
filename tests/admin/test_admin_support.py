"""The support bundle has logs, versions, sync rounds and settings, and no personal data."""
from __future__ import annotations

import sqlite3
import zipfile

from admin_helpers import ADMIN

from counter_app.paths import DB_FILE


def test_support_bundle_has_no_personal_data(data_dir, clock, tmp_path):
    from counter_app.app import build_services

    services = build_services(data_dir, clock=clock)
    services.setup.seed_demo(dossiers=300)
    with sqlite3.connect(data_dir / DB_FILE) as db:
        rows = db.execute("SELECT applicant_name, applicant_id_number, applicant_phone, applicant_address, "
                          "applicant_email "
                          "FROM dossiers").fetchall()
        users = [r[0] for r in db.execute("SELECT full_name FROM users")]
    # An error message quoting a citizen's numbers reached the log (the process-wide handler may
    # point at another test's folder, so write the line the way the handler would).
    logs = data_dir / "logs"
    logs.mkdir(exist_ok=True)
    with (logs / "app.log").open("a", encoding="utf-8") as fh:
        fh.write(f"2026-11-27 09:30:00 ERROR counter_app.test: lookup failed for {rows[0][1]} / {rows[0][2]} / "
                 f"{rows[0][4]}\n")
    out = services.support.export(tmp_path / "support.zip", ADMIN)
    with zipfile.ZipFile(out) as zf:
        names = zf.namelist()
        text = "\n".join(zf.read(n).decode("utf-8") for n in names)
    assert {"versions.json", "settings.json", "sync_rounds.json"} <= set(names)
    assert any(n.startswith("logs/") for n in names)
    assert '"sqlite"' in text and '"python"' in text
    personal = {v for row in rows for v in row if v} | set(users)
    leaked = sorted(v for v in personal if v in text)
    assert leaked == []
    assert "<number>" in text  # the logged numbers were scrubbed, not dropped silently
