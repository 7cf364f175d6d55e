"""Mẫu 01 prints the statutory extension and the paper actually received; Mẫu 02 names a group
of alternatives. Dossiers come from the reception service (real SQLite), PDFs are read back."""
from __future__ import annotations

from pathlib import Path

from print_helpers import CLERK, OFFICE, PRINTED_AT, body_text, save

from counter_app.printing.forms import PrintOptions, render_receipt, render_supplement_request
from counter_app.services.commands import ApplicantInput, ComponentInput, ReceiveCommand

AN = ApplicantInput(name="Nguyễn Văn An", id_number="045090001234", phone="0912345678",
                    address="Số 12 Lê Lợi, Đông Hà, Quảng Trị")
GROUP = "Giấy chứng sinh hoặc Văn bản của người làm chứng xác nhận về việc sinh hoặc Giấy cam đoan về việc sinh"


def opts() -> PrintOptions:
    return PrintOptions(printed_at=PRINTED_AT, copies=1)


def test_receipt_shows_the_extension_its_basis_and_reason(demo, tmp_path: Path) -> None:
    cmd = ReceiveCommand(procedure_code="2.000815", applicant=AN, pages=40, extension="many_papers",
                         extension_reason="Bản chính 40 trang, 10 bản sao")
    view = demo.reception.receive(cmd, "canbo1")
    text = body_text(save(render_receipt(view, OFFICE, CLERK, opts()), tmp_path))
    assert "3. Thời gian giải quyết hồ sơ theo quy định: Trong ngày" in text
    assert ("Gia hạn theo quy định: kéo dài thêm 02 ngày làm việc (yêu cầu chứng thực nhiều loại giấy tờ, bản chính "
            "nhiều trang hoặc nhiều bản sao; căn cứ Nghị định 23/2015/NĐ-CP, Điều 7); lý do: Bản chính 40 trang, 10 "
            "bản sao") in text
    assert "5. Thời gian trả kết quả giải quyết hồ sơ: 17 giờ 00 phút, ngày 01/12/2026" in text


def test_receipt_without_an_extension_says_nothing_of_one(demo, tmp_path: Path) -> None:
    view = demo.reception.receive(ReceiveCommand(procedure_code="2.000815", applicant=AN, pages=2), "canbo1")
    assert "Gia hạn" not in body_text(save(render_receipt(view, OFFICE, CLERK, opts()), tmp_path))


def test_death_verification_prints_the_limit_it_sets(demo, tmp_path: Path) -> None:
    cmd = ReceiveCommand(procedure_code="1.000656", applicant=AN, extension="verification",
                         extension_reason="Xác minh nơi chết")
    text = body_text(save(render_receipt(demo.reception.receive(cmd, "canbo1"), OFFICE, CLERK, opts()), tmp_path))
    assert ("Gia hạn theo quy định: thời hạn tối đa 03 ngày làm việc (cần xác minh; căn cứ Luật Hộ tịch 2014, "
            "Điều 34)") in text


def test_receipt_lists_the_paper_actually_received(demo, tmp_path: Path) -> None:
    papers = (ComponentInput("Tờ khai đăng ký khai sinh"), ComponentInput("Giấy cam đoan về việc sinh"))
    view = demo.reception.receive(ReceiveCommand(procedure_code="1.001193", applicant=AN, components=papers), "canbo1")
    text = body_text(save(render_receipt(view, OFFICE, CLERK, opts()), tmp_path))
    assert "Giấy cam đoan về việc sinh" in text and "Giấy chứng sinh" not in text


def test_supplement_request_names_the_group(demo, tmp_path: Path) -> None:
    cmd = ReceiveCommand(procedure_code="1.001193", applicant=AN,
                         components=(ComponentInput("Tờ khai đăng ký khai sinh"),))
    view = demo.reception.request_supplement(cmd, [GROUP], "Chưa có giấy tờ chứng minh việc sinh", "canbo1")
    text = body_text(save(render_supplement_request(view, OFFICE, CLERK, opts()), tmp_path))
    assert f"1. {GROUP}" in text
