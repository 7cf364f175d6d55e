"""Decision 766's digitisation rates from the attachments on a small October history.

Procedure 1.004873, each dossier listing its three components:

  A  every component scanned at reception; result attached electronically       digitised, e-result
  B  nothing scanned at reception; its papers scanned after the hand-over       not digitised, paper result
  C  every component reused from A's papers (same applicant)                     digitised, reused
  D  one component scanned of several                                           not digitised

Received 4, digitised at reception 2 (A C); results 2 (A B), digitised 1 (A);
components attached in October: A n + B n + C n + D 1, reused n (C).
"""
from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from reports_scenario import END, START, Clock, P  # noqa: E402

from counter_app.services.attachments import as_result  # noqa: E402
from counter_app.services.commands import ApplicantInput, ComponentInput, ReceiveCommand  # noqa: E402


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    from counter_app.app import build_services

    clock = Clock()
    s = build_services(tmp_path_factory.mktemp("digital") / "data", clock=clock)
    s.setup.seed_demo()
    listed = s.reception.procedure(P).components  # the form and the identity papers: every dossier lists all
    names = [c.name for c in listed]
    handed = tuple(ComponentInput(c.name, c.kind) for c in listed)
    same = ApplicantInput(name="Nguyễn Thị Đào", id_number="045191100001", phone="0905123456",
                          address="Số 1 Lê Lợi, Đông Hà")
    other = ApplicantInput(name="Trần Văn Bình", id_number="045191100002", phone="0905123457",
                           address="Số 2 Lê Lợi, Đông Hà")

    def at(d, hh):
        clock.current = datetime(2026, 10, d, hh)

    def scans(key, components):
        return tuple(s.attachments.stage(f"%PDF-1.4 {key} {c}".encode(), pages=1, component=c) for c in components)

    def receive(applicant, drafts=()):
        return s.reception.receive(ReceiveCommand(procedure_code=P, applicant=applicant, components=handed,
                                                  attachments=drafts), "canbo1").code

    at(1, 9)
    a = receive(same, scans("A", names))
    b = receive(other)
    at(2, 9)
    s.lifecycle.handover([b], s.lifecycle.departments()[0].code, "canbo1")
    at(2, 10)
    s.attachments.attach(b, "canbo1", scans("B", names))
    at(2, 15)
    s.lifecycle.record_result(a, "ready", "canbo1")
    s.attachments.attach(a, "canbo1", [as_result(s.attachments.stage(b"%PDF-1.4 result A", pages=1))])
    s.lifecycle.record_result(b, "ready", "canbo1")
    at(5, 9)
    offered = {o.attachment.component: o for o in s.attachments.reusable(same.id_number)}
    receive(same, tuple(s.attachments.reuse(offered[c], c) for c in names))
    receive(other, scans("D", names[:1]))
    clock.current = datetime(2026, 11, 10, 9)
    return s, len(names)


def test_the_rates_count_reception_results_and_reuse(office):
    s, n = office
    assert n >= 2
    view = s.reports.indicators_766(START, END)
    assert view.figure("digitised_at_reception") == pytest.approx(2 / 4)
    assert view.figure("results_digitised") == pytest.approx(1 / 2)
    assert view.figure("components_reused") == pytest.approx(n / (3 * n + 1))
    vi = {r[0].strip(): r for r in view.table("indicators").rows}
    assert vi["Hồ sơ số hóa khi tiếp nhận"][5].startswith("2/4")
    assert "kết quả 1/2" in vi["Số hóa hồ sơ, kết quả giải quyết"][5]
    en = {r[0].strip(): r for r in view.table("indicators").rows_in("en")}
    assert en["Components reusing digitised data"][5].startswith(f"{n}/{3 * n + 1}")

