"""The catalogue shipped in resources/: data a province replaces, so it must not claim more than it is."""
from __future__ import annotations

import json
from typing import Any

from counter_app.domain.catalog import ComponentKind, ProcedureVersion
from counter_app.paths import resources_dir


def _catalogue() -> dict[str, Any]:
    return json.loads((resources_dir() / "catalog" / "procedures.json").read_text(encoding="utf-8"))


def test_signature_certification_follows_the_cutoff_and_keeps_the_id_paper_as_shown() -> None:
    entry = next(p for p in _catalogue()["procedures"] if p["code"] == "2.000884")
    version = ProcedureVersion.from_dict(entry)
    assert version.cutoff is not None and version.cutoff.strftime("%H:%M") == "15:00"
    id_paper = next(c for c in version.components if "tùy thân" in c.name)
    assert id_paper.kind is ComponentKind.PRESENTED


def test_no_invented_publishing_decision_and_the_data_says_it_is_demo() -> None:
    data = _catalogue()
    assert "demo" in data["source"].lower()
    for entry in data["procedures"]:
        # No publishing decision was found for these values: demo data until a province imports its own.
        assert "QĐ" not in entry["version"] and "demo" in entry["version"].lower(), entry["code"]
