"""One process, one open database: a command that proves its clerk, runs on the queue and prints
a ticket opens the counter's file once and builds one engine on it (it opened the file again for
the queue, and again for the ticket's office)."""
from __future__ import annotations

import io
import json
import sys

import pytest
from cli_login import logged_in
from queue_core_helpers import CONFIG

from counter_app.entry.cli import main
from counter_app.storage import engine as engine_module
from counter_app.storage.startup_store import DeferredDatabase


@pytest.fixture
def opened(monkeypatch) -> list[str]:
    """"database" for every opening of the counter's file, "engine" for every engine built on it."""
    seen: list[str] = []
    real_engine, real_open = engine_module.create_engine, DeferredDatabase.open.__func__

    def engine(url, *args, **kwargs):
        seen.append("engine")
        return real_engine(url, *args, **kwargs)

    def database(cls, *args, **kwargs):
        seen.append("database")
        return real_open(cls, *args, **kwargs)

    monkeypatch.setattr(engine_module, "create_engine", engine)
    monkeypatch.setattr(DeferredDatabase, "open", classmethod(database))
    return seen


def run(monkeypatch, capsys, *args: str) -> dict:
    argv, stdin = logged_in(list(args))
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin or ""))
    code = main(argv)
    out = capsys.readouterr()
    assert code == 0, out.err
    return json.loads(out.out)


def test_a_queue_command_with_a_clerk_and_a_ticket_opens_the_file_once(tmp_path, monkeypatch, capsys, opened):
    data = str(tmp_path)
    run(monkeypatch, capsys, "seed-demo", "--data-dir", data)
    config = tmp_path / "queue.json"
    config.write_text(json.dumps(CONFIG, ensure_ascii=False), encoding="utf-8")
    run(monkeypatch, capsys, "queue", "configure", str(config), "--data-dir", data)
    opened.clear()
    ticket = run(monkeypatch, capsys, "queue", "issue", "--service", "A", "--clerk", "canbo1",
                 "--pdf", str(tmp_path / "ticket.pdf"), "--data-dir", data)
    assert ticket["number"] == "A001"
    assert (tmp_path / "ticket.pdf").read_bytes().startswith(b"%PDF")
    assert sorted(opened) == ["database", "engine"]
