"""The print use case (services.printing) on a real file with the real renderer: who signs,
who is logged, original then copies, and a failed delivery that is not a print."""
from __future__ import annotations

import pytest

from counter_app.domain.errors import DomainError
from counter_app.services.commands import ApplicantInput, ReceiveCommand
from tests.printing.print_helpers import pdf_text, save

AN = ApplicantInput(name="Nguyễn Văn An", id_number="045090001234", phone="0912345678",
                    address="Số 12 đường Lê Lợi, phường Đông Hà, tỉnh Quảng Trị")


class Tray:
    """The deliver port: keeps what it was given; ``fail`` makes it refuse like a printer with no paper."""

    def __init__(self) -> None:
        self.papers: list[tuple[str, bool, bytes]] = []
        self.fail = ""

    def __call__(self, pdf: bytes, *, title: str, printer: str, reprint: bool) -> str:
        if self.fail:
            raise DomainError("print.failed", reason=self.fail)
        self.papers.append((title, reprint, pdf))
        return f"tray:{title}"


@pytest.fixture
def received(demo):
    return demo.reception.receive(ReceiveCommand(procedure_code="1.001193", applicant=AN), "canbo1")


def _prints(demo, code: str) -> list[tuple[str, str, bool]]:
    return [(e.actor, e.data["form"], e.data["reprint"]) for e in demo.dossiers.get(code).events if e.kind == "printed"]


def test_a_reprint_by_another_clerk_is_a_copy_signed_by_the_receiving_clerk(demo, received, tmp_path):
    tray = Tray()
    first = demo.printing.print_form(received.code, "receipt", "canbo1", tray)
    again = demo.printing.print_form(received.code, "receipt", "canbo2", tray)
    assert (first.original, again.original) == (True, False) and not first.error and not again.error
    assert [(title, reprint) for title, reprint, _ in tray.papers] == [(f"{received.code}_Mau01", False)] * 1 + [
        (f"{received.code}_Mau01", True)]
    copy = pdf_text(save(tray.papers[1][2], tmp_path, "copy.pdf"))
    assert "Nguyễn Thị Lan" in copy  # canbo1 received it and signs the copy too
    assert "Hoàng Minh Tuấn" not in copy
    assert "BẢN SAO" in copy and "BẢN SAO" not in pdf_text(save(tray.papers[0][2], tmp_path, "first.pdf"))
    # The history says who printed each paper.
    assert _prints(demo, received.code) == [("canbo1", "receipt", False), ("canbo2", "receipt", True)]


def test_a_failed_delivery_is_not_a_print_and_its_retry_is_the_original(demo, received):
    tray = Tray()
    tray.fail = "hết giấy"
    failed = demo.printing.print_form(received.code, "receipt", "canbo1", tray)
    assert failed.error == "hết giấy" and failed.pdf and failed.original
    assert _prints(demo, received.code) == []
    tray.fail = ""
    [retried] = demo.printing.retry([failed], "canbo2", tray)
    assert not retried.error and retried.where == f"tray:{received.code}_Mau01"
    assert tray.papers[0][1] is False  # delivered as the original
    assert _prints(demo, received.code) == [("canbo2", "receipt", False)]


def test_a_form_the_dossier_does_not_have_or_a_stranger_prints_nothing(demo, received):
    tray = Tray()
    with pytest.raises(DomainError) as no_form:
        demo.printing.print_form(received.code, "apology", "canbo1", tray)
    assert no_form.value.code == "dossier.no_such_form"
    with pytest.raises(DomainError) as stranger:
        demo.printing.print_form(received.code, "receipt", "nobody", tray)
    assert stranger.value.code == "clerk.unknown"
    assert tray.papers == [] and _prints(demo, received.code) == []


def test_f9_writes_the_dossier_then_its_print_log_and_reads_without_the_lock(demo, begins):
    """F9: one write transaction for the dossier (validated once, inside it), one for the print log
    once the paper came out; what the paper needs is read without the write lock."""
    demo.printing.print_form(  # the first print loads the renderer: not what is counted
        demo.reception.receive(ReceiveCommand(procedure_code="1.001193", applicant=AN), "canbo1").code,
        "receipt", "canbo1", Tray())
    begins.clear()
    view = demo.reception.receive(ReceiveCommand(procedure_code="1.001193", applicant=AN), "canbo1")
    outcome = demo.printing.print_form(view.code, "receipt", "canbo1", Tray())
    assert not outcome.error
    # the procedure check, the dossier, the paper's inputs, the print log
    assert begins == ["BEGIN", "BEGIN IMMEDIATE", "BEGIN", "BEGIN IMMEDIATE"]
