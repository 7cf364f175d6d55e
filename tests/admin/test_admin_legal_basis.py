"""The legal-basis line printed on forms is data an administrator edits, not code."""
from __future__ import annotations

import subprocess

import pytest

from counter_app.domain.errors import DomainError, ValidationFailed
from counter_app.printing.forms import render_receipt
from counter_app.printing.lifecycle_forms import render_control_sheet
from counter_app.services.commands import ApplicantInput, ReceiveCommand

BASIS = "Căn cứ Nghị định số 118/2025/NĐ-CP ngày 09/6/2025 của Chính phủ"


def pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "form.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_administrator_sets_the_legal_basis_and_forms_print_it(demo, tmp_path):
    view = demo.reception.receive(ReceiveCommand(procedure_code="1.001193", applicant=ApplicantInput(
        name="Nguyễn Văn An", address="Số 1 Lê Lợi, Đông Hà")), "canbo1")
    assert demo.office.office().legal_basis == ""
    assert "Căn cứ" not in pdf_text(render_receipt(view, demo.office.office(), demo.auth.clerk("canbo1")), tmp_path)

    demo.admin.set_setting("admin", "form.legal_basis", BASIS)
    office = demo.office.office()
    assert office.legal_basis == BASIS
    clerk = demo.auth.clerk("canbo1")
    for render in (render_receipt, render_control_sheet):
        assert " ".join(BASIS.split()) in " ".join(pdf_text(render(view, office, clerk), tmp_path).split())


def test_only_an_administrator_may_change_it_and_it_is_bounded(demo):
    with pytest.raises(DomainError):
        demo.admin.set_setting("canbo1", "form.legal_basis", BASIS)
    with pytest.raises(ValidationFailed):
        demo.admin.set_setting("admin", "form.legal_basis", "x" * 301)
    assert demo.office.office().legal_basis == ""


def test_lookup_lists_mask_personal_numbers_for_clerks(demo):
    demo.reception.receive(ReceiveCommand(procedure_code="1.001193", applicant=ApplicantInput(
        name="Trần Thị Đào", id_number="045190001234", phone="0912345678", address="Đông Hà")), "canbo1")
    as_clerk = demo.lookup.search("0912345678", viewer="canbo1").hits
    as_supervisor = demo.lookup.search("0912345678", viewer="totruong").hits
    assert len(as_clerk) == 1 and as_clerk[0].phone != "0912345678" and "*" in as_clerk[0].id_number
    assert as_supervisor[0].phone == "0912345678" and as_supervisor[0].id_number == "045190001234"
