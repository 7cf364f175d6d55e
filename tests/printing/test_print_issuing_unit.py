"""The issuing unit as the office configured it (centre or Bộ phận Một cửa, under its
superior body), the ID number masked on the citizen's copy, and forms dated by their event."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from print_helpers import pdf_text, save, stream_text

from counter_app.domain.errors import DomainError, ValidationFailed
from counter_app.printing.forms import (
    PrintOptions,
    render_receipt,
    render_refusal,
    render_supplement_request,
)
from counter_app.printing.handover_list import render_handover_list
from counter_app.printing.lifecycle_forms import render_control_sheet, render_stop_notice
from counter_app.services.commands import ApplicantInput, ReceiveCommand

AN = ApplicantInput(name="Nguyễn Văn An", id_number="045090001234", phone="0912345678",
                    address="Số 12 đường Lê Lợi, phường Đông Hà, tỉnh Quảng Trị")
CENTRE = "Trung tâm Phục vụ hành chính công phường Đông Hà"
ONE = PrintOptions(copies=1)


def receive(demo, clock, when: datetime) -> str:
    clock.current = when
    return demo.reception.receive(ReceiveCommand(procedure_code="1.004873", applicant=AN), "canbo1").code


def test_a_commune_issues_its_forms_as_its_centre_by_default(demo, clock, tmp_path: Path):
    office = demo.office.office()
    assert (office.issuer, office.issuer_parent) == (CENTRE, "UBND phường Đông Hà")
    code = receive(demo, clock, datetime(2026, 4, 28, 9, 0))
    clock.current = datetime(2026, 4, 28, 10, 0)
    batch = demo.lifecycle.handover([code], "H45.123.01", "canbo1")
    view, clerk = demo.dossiers.get(code), demo.auth.clerk("canbo1")
    receipt_pdf = save(render_receipt(view, office, clerk), tmp_path, "01.pdf")
    assert "UBND PHƯỜNG ĐÔNG HÀ TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG PHƯỜNG ĐÔNG HÀ" in stream_text(receipt_pdf)
    receipt = pdf_text(receipt_pdf)
    for s in [f"{CENTRE} tiếp nhận hồ sơ của:",
              f"Đăng ký nhận kết quả tại: {CENTRE}", f"Liên 2: Lưu tại {CENTRE}"]:
        assert s in receipt, s
    assert "UBND TỈNH QUẢNG TRỊ" not in receipt  # the centre's superior is the commune, not the province
    sheet = stream_text(save(render_control_sheet(view, office, clerk), tmp_path, "06.pdf"))
    assert f"1. Giao: {CENTRE} Nhận: Công chức Tư pháp - Hộ tịch" in sheet
    # Mẫu 06 names the competent agency, never its code.
    assert "Cơ quan (bộ phận) giải quyết hồ sơ: UBND phường Đông Hà (Công chức Tư pháp - Hộ tịch)" in sheet
    assert "H45.123 (" not in sheet
    listing = pdf_text(save(render_handover_list(demo.lifecycle.handover_batch(batch.batch_id), office, clerk),
                            tmp_path, "list.pdf"))
    assert f"Bên giao: {CENTRE} – UBND phường Đông Hà" in listing


def test_an_office_may_name_a_one_stop_unit_or_its_own_names(demo, clock, tmp_path: Path):
    demo.admin.set_setting("admin", "form.unit_kind", "one_stop")
    office = demo.office.office()
    assert (office.issuer, office.issuer_parent) == ("Bộ phận Một cửa", "UBND phường Đông Hà")
    code = receive(demo, clock, datetime(2026, 4, 28, 9, 0))
    clock.current = datetime(2026, 4, 28, 10, 0)
    demo.lifecycle.record_result(code, "stopped", "canbo1", reason="Người nộp không bổ sung")
    view, clerk = demo.dossiers.get(code), demo.auth.clerk("canbo1")
    notice_pdf = save(render_stop_notice(view, office, clerk), tmp_path, "05.pdf")
    assert "UBND PHƯỜNG ĐÔNG HÀ BỘ PHẬN MỘT CỬA" in stream_text(notice_pdf)
    notice = pdf_text(notice_pdf)
    assert "Bộ phận Một cửa thông báo dừng giải quyết hồ sơ" in notice
    assert "liên hệ Bộ phận Một cửa để nhận lại hồ sơ" in notice
    assert "Số: ……/……" in notice  # the letter's own number, from the registry; never the dossier code
    demo.admin.set_setting("admin", "form.unit_name", "Trung tâm Hành chính công phường Đông Hà")
    demo.admin.set_setting("admin", "form.unit_parent", "Ủy ban nhân dân phường Đông Hà")
    office = demo.office.office()
    assert (office.issuer, office.issuer_parent) == ("Trung tâm Hành chính công phường Đông Hà",
                                                     "Ủy ban nhân dân phường Đông Hà")


def test_form_settings_are_checked(demo):
    with pytest.raises(DomainError) as err:
        demo.admin.set_setting("admin", "form.unit_kind", "district")
    assert err.value.code == "setting.invalid"
    with pytest.raises(ValidationFailed):
        demo.admin.set_setting("admin", "form.unit_name", "x" * 301)
    with pytest.raises(DomainError):
        demo.admin.set_setting("admin", "form.mask_citizen_id", "yes")
    assert demo.office.office().issuer == CENTRE  # nothing changed


def test_masking_the_citizens_copy_is_a_setting(demo, clock, tmp_path: Path):
    code = receive(demo, clock, datetime(2026, 4, 28, 9, 0))
    view, clerk = demo.dossiers.get(code), demo.auth.clerk("canbo1")
    first = pdf_text(save(render_receipt(view, demo.office.office(), clerk), tmp_path, "masked.pdf"), 1)
    assert "Số giấy tờ tùy thân: 0450******34" in first
    demo.admin.set_setting("admin", "form.mask_citizen_id", "0")
    first = pdf_text(save(render_receipt(view, demo.office.office(), clerk), tmp_path, "full.pdf"), 1)
    assert "Số giấy tờ tùy thân: 045090001234" in first


def test_supplement_request_and_refusal_keep_the_day_they_were_made(demo, clock, tmp_path: Path):
    code = receive(demo, clock, datetime(2026, 4, 28, 9, 0))
    clock.current = datetime(2026, 4, 29, 9, 0)
    demo.lifecycle.record_result(code, "supplement", "canbo1", missing=["Bản sao Căn cước"], reason="Thiếu")
    view, office, clerk = demo.dossiers.get(code), demo.office.office(), demo.auth.clerk("canbo1")
    later = PrintOptions(copies=1, reprint=True, printed_at=datetime(2026, 5, 12, 8, 0))  # reprinted two weeks on
    text = pdf_text(save(render_supplement_request(view, office, clerk, later), tmp_path, "02.pdf"))
    assert "Đông Hà, ngày 29 tháng 4 năm 2026" in text and "In lúc 08:00 12/05/2026" in text
    clock.current = datetime(2026, 4, 28, 9, 30)
    refused = demo.reception.refuse(ReceiveCommand(procedure_code="1.004873", applicant=AN), "Không thuộc thẩm quyền",
                                    "canbo1")
    text = pdf_text(save(render_refusal(demo.dossiers.get(refused.code), office, clerk, later), tmp_path, "03.pdf"))
    assert "Đông Hà, ngày 28 tháng 4 năm 2026" in text
