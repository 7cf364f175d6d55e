"""Mẫu 02 and 03 given at the counter for a dossier never received print its own reference (and
its barcode), never a dossier code or a ledger line: rendered to PDF from a real demo office and
read back with pdftotext and zbarimg."""
from __future__ import annotations

from print_helpers import decode_barcodes, pdf_text, save

from counter_app.printing.forms import PrintOptions, render_refusal, render_supplement_request
from counter_app.services.commands import ApplicantInput, ReceiveCommand

AN = ApplicantInput(name="Nguyễn Văn An", id_number="045090001234", phone="0912345678",
                    address="Số 12 đường Lê Lợi, phường Đông Hà, tỉnh Quảng Trị")


def birth() -> ReceiveCommand:
    return ReceiveCommand(procedure_code="1.001193", applicant=AN)


def test_the_slips_print_their_reference_not_a_dossier_code(demo, tmp_path):
    office, clerk = demo.office.office(), demo.auth.clerk("canbo1")
    refused = demo.reception.refuse(birth(), "Không thuộc thẩm quyền", "canbo1")
    sent_back = demo.reception.request_supplement(birth(), ["Giấy chứng sinh"], "Thiếu giấy chứng sinh", "canbo1")
    for slip, render in ((refused, render_refusal), (sent_back, render_supplement_request)):
        pdf = save(render(slip, office, clerk, PrintOptions(copies=1)), tmp_path, f"{slip.code}.pdf")
        text = pdf_text(pdf)
        assert f"Số tham chiếu: {slip.code}" in text
        assert "chưa vào Sổ theo dõi hồ sơ" in text
        assert "Mã hồ sơ" not in text and "Quyển số" not in text
        assert decode_barcodes(pdf, tmp_path) == [slip.code]
