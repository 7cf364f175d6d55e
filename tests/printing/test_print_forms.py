"""The three counter forms, rendered to real PDFs and read back with pdftotext and pypdf."""
from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from print_helpers import (
    APPLICANT,
    CLERK,
    COMPONENTS,
    OFFICE,
    PRINTED_AT,
    body_text,
    make_dossier,
    page_count,
    pdf_text,
    save,
    stream_text,
    word_boxes,
)
from pypdf import PdfReader

from counter_app.domain.errors import DomainError
from counter_app.printing.forms import (
    PrintOptions,
    render_receipt,
    render_refusal,
    render_supplement_request,
    write_pdf,
)
from counter_app.services.views import ApplicantView, ComponentView

MM = 72 / 25.4


def opts(**kw) -> PrintOptions:
    kw.setdefault("printed_at", PRINTED_AT)
    return PrintOptions(**kw)


@pytest.mark.parametrize("paper", ["A4", "A5"])
def test_receipt_prints_every_field(tmp_path: Path, paper: str) -> None:
    d = make_dossier()
    pdf = save(render_receipt(d, OFFICE, CLERK, opts(paper=paper, copies=1)), tmp_path)
    text = pdf_text(pdf)
    expected = [
        "Mẫu số 01",
        "UBND TỈNH QUẢNG TRỊ", "UBND PHƯỜNG ĐÔNG HÀ", "Mã hồ sơ: H45.123-261127-0007",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
        "Đông Hà, ngày 20 tháng 02 năm 2026",  # received_at, zero-padded as Decree 30 wants
        "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
        "(Liên 1: Giao người nộp hồ sơ)",
        "UBND PHƯỜNG ĐÔNG HÀ tiếp nhận hồ sơ của:",
        "Ông/Bà: Nguyễn Thị Hồng Nhung",
        "Địa chỉ: Số 12 đường Lê Lợi, khu phố 3, phường Đông Hà, tỉnh Quảng Trị",
        # the citizen's copy
        "Số điện thoại: 0912345678", "Email: nhung.nguyen@example.vn", "Số giấy tờ tùy thân: 0451******34",
        "Nội dung yêu cầu giải quyết: Đăng ký khai sinh (mã 1.001193)",
        "1. Thành phần hồ sơ nộp gồm:", "Tên giấy tờ", "Hình thức", "Số lượng",
        "Số lượng hồ sơ: 1 bộ",
        "Thời gian giải quyết hồ sơ theo quy định: 3 ngày làm việc",
        "Thời gian nhận hồ sơ: 09 giờ 15 phút, ngày 20/02/2026",
        "Thời gian trả kết quả giải quyết hồ sơ: 17 giờ 00 phút, ngày 25/02/2026",
        "(3 ngày làm việc kể từ ngày tiếp nhận, không kể thứ Bảy, Chủ nhật và ngày lễ)",
        "6. Đăng ký nhận kết quả tại: Bộ phận Một cửa",
        "7. Phí, lệ phí: 8.000 đ – Lệ phí 8.000 đ (đăng ký quá hạn)",  # Vietnamese digit grouping
        "Vào Sổ theo dõi hồ sơ, Quyển số 01/2026, Số thứ tự 57",
        "Mã tra cứu: 7KQ4M2", "0233 3852 123",
        "NGƯỜI NỘP HỒ SƠ", "NGƯỜI TIẾP NHẬN HỒ SƠ", "(Ký và ghi rõ họ tên)", "Trần Văn An",
        "Ghi chú: - Giấy tiếp nhận hồ sơ và hẹn trả kết quả được lập thành 02 liên; một liên giao cho cá nhân, "
        "tổ chức nộp hồ sơ; một liên chuyển kèm theo Phiếu kiểm soát quá trình giải quyết hồ sơ và được lưu tại "
        "Bộ phận Một cửa.",
        "- Cá nhân, tổ chức có thể đăng ký nhận kết quả tại Bộ phận Một cửa hoặc tại nhà (trụ sở tổ chức) qua "
        "dịch vụ bưu chính.",
        "In lúc 09:20 20/02/2026", "Trang 1/1",
    ]
    for component in COMPONENTS:
        expected.append(component.name)
    expected += ["Bản chính", "Bản sao chứng thực", "Bản sao"]
    missing = [s for s in expected if s not in text]
    assert missing == []
    assert text.count("Nguyễn Thị Hồng Nhung") == 2  # applicant line and signature block
    assert text.count("Ghi chú") == 1 and "BẢN SAO" not in text  # the form's notes, no dossier note
    assert "045186001234" not in text and "Số: " not in text  # no "Số:" of a letter on a slip


def test_receipt_variants_post_free_note(tmp_path: Path) -> None:
    d = make_dossier(delivery="post", fee=0, fee_explanation="Miễn phí",
                     note="Công dân nộp thêm 01 bản photo sổ hộ khẩu")
    text = pdf_text(save(render_receipt(d, OFFICE, CLERK, opts(copies=1)), tmp_path))
    assert "Đăng ký nhận kết quả tại: Nhà riêng (trụ sở tổ chức) qua dịch vụ bưu chính" in text
    assert "Phí, lệ phí: Miễn phí" in text and "Miễn phí (Miễn phí)" not in text
    assert "Ghi chú: Công dân nộp thêm 01 bản photo sổ hộ khẩu" in text


def test_receipt_two_copies_each_on_its_own_page(tmp_path: Path) -> None:
    pdf = save(render_receipt(make_dossier(), OFFICE, CLERK, opts()), tmp_path)
    assert page_count(pdf) == 2
    first, second = pdf_text(pdf, 1), pdf_text(pdf, 2)
    assert "Liên 1: Giao người nộp hồ sơ" in first and "Liên 2" not in first
    assert "Liên 2: Lưu tại Bộ phận Một cửa" in second and "Liên 1" not in second
    # Decree 13/2023: the copy the citizen takes home masks the ID number, the office's file copy keeps it.
    assert "0451******34" in first and "045186001234" not in first
    assert "045186001234" in second and "******" not in second
    for page in (first, second):  # each liên is a complete form, numbered on its own
        assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in page and "Trần Văn An" in page
        assert "Trang 1/1" in page


def test_reprint_is_marked_on_every_page(tmp_path: Path) -> None:
    long = _long_dossier()
    pdf = save(render_receipt(long, OFFICE, CLERK, opts(reprint=True)), tmp_path)
    pages = page_count(pdf)
    assert pages >= 4  # two liên, each longer than one page
    for page in range(1, pages + 1):
        assert "BẢN SAO" in pdf_text(pdf, page)


@pytest.mark.parametrize(("paper", "size_mm"), [("A4", (210, 297)), ("A5", (148, 210)), ("a5", (148, 210))])
def test_paper_size(tmp_path: Path, paper: str, size_mm: tuple[int, int]) -> None:
    pdf = save(render_receipt(make_dossier(), OFFICE, CLERK, opts(paper=paper)), tmp_path)
    for page in PdfReader(str(pdf)).pages:
        box = page.mediabox
        assert (round(float(box.width) / MM), round(float(box.height) / MM)) == size_mm


def test_metadata(tmp_path: Path) -> None:
    reader = PdfReader(str(save(render_receipt(make_dossier(), OFFICE, CLERK, opts()), tmp_path)))
    meta = reader.metadata
    assert meta.title == "Mẫu số 01: Giấy tiếp nhận hồ sơ và hẹn trả kết quả"
    assert meta.author == "UBND PHƯỜNG ĐÔNG HÀ"
    assert meta.subject == "H45.123-261127-0007"


def test_fonts_are_embedded_truetype_subsets(tmp_path: Path) -> None:
    reader = PdfReader(str(save(render_receipt(make_dossier(), OFFICE, CLERK, opts()), tmp_path)))
    fonts = [f.get_object() for f in reader.pages[0]["/Resources"]["/Font"].values()]
    assert len(fonts) >= 3  # regular, bold, italic
    for font in fonts:  # no unembedded Type 1 (Helvetica) that would print boxes for "ư", "ợ"
        assert font["/Subtype"] == "/TrueType"
        assert "+" in font["/BaseFont"]  # subset tag, e.g. AAAAAA+DejaVuSerif
        assert "/FontFile2" in font["/FontDescriptor"].get_object()


def test_supplement_request(tmp_path: Path) -> None:
    missing = ("Giấy chứng sinh (bản chính)", "Giấy chứng nhận kết hôn của cha, mẹ (bản sao có chứng thực)",
               "Tờ khai ghi sai ngày sinh của trẻ: khai lại theo giấy chứng sinh")
    d = make_dossier(missing=missing, reason="Hồ sơ chưa đủ thành phần theo quy định")
    assert page_count(save(render_supplement_request(d, OFFICE, CLERK), tmp_path, "default.pdf")) == 1  # one copy
    text = pdf_text(save(render_supplement_request(d, OFFICE, CLERK, opts(copies=1)), tmp_path))
    for s in [
        "Mẫu số 02", "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ", "Hồ sơ của Ông/Bà: Nguyễn Thị Hồng Nhung",
        f"Địa chỉ: {APPLICANT.address}", "Số điện thoại: 0912345678", "Đăng ký khai sinh (mã 1.001193)",
        "Yêu cầu bổ sung, hoàn thiện hồ sơ gồm những nội dung sau:",
        f"1. {missing[0]}", f"2. {missing[1]}", f"3. {missing[2]}",
        "Lý do: Hồ sơ chưa đủ thành phần theo quy định",
        "Trong quá trình hoàn thiện hồ sơ, nếu có vướng mắc, Ông/Bà liên hệ Trần Văn An, "
        "số điện thoại 0233 3852 123 để được hướng dẫn.",
        "NGƯỜI HƯỚNG DẪN", "Đông Hà, ngày 20 tháng 02 năm 2026",
    ]:
        assert s in text, s
    assert "Liên" not in text


def test_supplement_request_honours_copies(tmp_path: Path) -> None:
    d = make_dossier(missing=("Giấy chứng sinh",), reason="Thiếu giấy tờ")
    pdf = save(render_supplement_request(d, OFFICE, CLERK, opts(copies=2)), tmp_path)
    assert page_count(pdf) == 2
    assert "Liên 1" in pdf_text(pdf, 1) and "Liên 2" in pdf_text(pdf, 2)


def test_refusal(tmp_path: Path) -> None:
    reason = "Thủ tục không thuộc thẩm quyền giải quyết của UBND phường Đông Hà"
    pdf = save(render_refusal(make_dossier(reason=reason), OFFICE, CLERK, opts(copies=1, paper="A5")), tmp_path)
    text = pdf_text(pdf)
    for s in [
        "Mẫu số 03", "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ", "Hồ sơ của Ông/Bà: Nguyễn Thị Hồng Nhung",
        "Nội dung yêu cầu giải quyết: Đăng ký khai sinh (mã 1.001193)",
        f"UBND PHƯỜNG ĐÔNG HÀ từ chối tiếp nhận giải quyết hồ sơ với lý do sau: {reason}",
        "Xin thông báo để Ông/Bà được biết và thực hiện./.", "NGƯỜI TIẾP NHẬN", "Trần Văn An",
    ]:
        assert s in text, s


def _long_dossier():
    address = ("Thôn Phước Thị, xã Hải Lăng, tỉnh Quảng Trị; tạm trú tại kiệt 45 đường Nguyễn Trãi, "
               "khu phố 6, " * 4)[:300]
    kinds = ("original", "copy", "certified_copy")
    components = tuple(
        ComponentView(f"Giấy tờ số {i}: trích lục hồ sơ hộ tịch kèm văn bản xác nhận của cơ quan có thẩm quyền",
                      kinds[i % 3], i % 3 + 1)
        for i in range(1, 21)
    )
    reason = ("Hồ sơ không đáp ứng điều kiện theo Luật Hộ tịch năm 2014 và Nghị định số 123/2015/NĐ-CP; " * 12)[:1000]
    applicant = ApplicantView(name="Tôn Nữ Thị Hoàng Yến Phương Thảo", id_number="045186001234",
                              phone="0912345678", address=address, email="")
    return make_dossier(applicant=applicant, components=components, reason=reason,
                        missing=tuple(c.name for c in components), note=reason[:400])


@pytest.mark.parametrize("paper", ["A4", "A5"])
@pytest.mark.parametrize("render", [render_receipt, render_supplement_request, render_refusal])
def test_long_values_flow_onto_more_pages_without_loss_or_overlap(tmp_path: Path, paper: str, render) -> None:
    long = _long_dossier()
    short_pdf = save(render(make_dossier(missing=("Giấy chứng sinh",), reason="Thiếu"), OFFICE, CLERK,
                            opts(paper=paper, copies=1)), tmp_path, "short.pdf")
    pdf = save(render(long, OFFICE, CLERK, opts(paper=paper, copies=1)), tmp_path)
    text = body_text(pdf)
    assert " ".join(long.applicant.address.split()) in text
    if render is render_receipt:
        assert page_count(pdf) > page_count(short_pdf)
        cells = stream_text(pdf)
        assert [c.name for c in long.components if c.name not in cells] == []
        assert " ".join(long.note.split()) in text
    elif render is render_supplement_request:
        assert page_count(pdf) > page_count(short_pdf)
        assert all(f"{i}. {name}" in text for i, name in enumerate(long.missing, 1))
    else:
        assert " ".join(long.reason.split()) in text
    total = page_count(pdf)
    assert f"Trang {total}/{total}" in pdf_text(pdf, total)
    _assert_inside_page_and_no_overlap(pdf)


def _assert_inside_page_and_no_overlap(pdf: Path) -> None:
    margin = 4 * MM  # printers cannot print the outer few millimetres
    for width, height, words in word_boxes(pdf):
        assert words
        for x0, y0, x1, y1, word in words:
            assert margin <= x0 and x1 <= width - margin and margin <= y0 and y1 <= height - margin, word
        boxes = sorted(words)
        for i, a in enumerate(boxes):  # shrink a little: neighbouring words may touch
            for b in boxes[i + 1:]:
                if b[0] >= a[2] - 0.5:
                    break
                overlap_x = min(a[2], b[2]) - max(a[0], b[0])
                overlap_y = min(a[3], b[3]) - max(a[1], b[1])
                assert overlap_x <= 0.5 or overlap_y <= 1.0, (a[4], b[4])


def test_overlap_check_can_fail(tmp_path: Path) -> None:
    # Guard against a checker that can never fail: text drawn over text must be reported.
    from reportlab.pdfgen.canvas import Canvas

    path = tmp_path / "overlap.pdf"
    c = Canvas(str(path))
    c.drawString(100, 700, "Hello world")
    c.drawString(102, 701, "Hello world")
    c.save()
    with pytest.raises(AssertionError):
        _assert_inside_page_and_no_overlap(path)


def test_values_are_escaped_and_normalised(tmp_path: Path) -> None:
    decomposed = unicodedata.normalize("NFD", "Nguyễn Thị Hồng Nhung")  # typed with combining marks
    applicant = ApplicantView(name=decomposed, id_number="", phone="", email="",
                              address="Lô 5 & 7 <khu B>, phường Đông Hà")
    text = pdf_text(save(render_receipt(make_dossier(applicant=applicant), OFFICE, CLERK, opts(copies=1)), tmp_path))
    assert "Ông/Bà: Nguyễn Thị Hồng Nhung" in text
    assert "Địa chỉ: Lô 5 & 7 <khu B>, phường Đông Hà" in text
    assert "Số điện thoại" not in text and "Email" not in text  # empty fields are left out


def test_form_dates_follow_printed_at(tmp_path: Path) -> None:
    from datetime import datetime

    at = datetime(2026, 11, 27, 14, 5)
    pdf = save(render_refusal(make_dossier(reason="Không thuộc thẩm quyền"), OFFICE, CLERK, opts(printed_at=at)),
               tmp_path)
    text = pdf_text(pdf)
    assert "Đông Hà, ngày 27 tháng 11 năm 2026" in text and "In lúc 14:05 27/11/2026" in text


@pytest.mark.parametrize(("options", "code"), [
    (PrintOptions(paper="Letter"), "printing.invalid_paper"),
    (PrintOptions(copies=0), "printing.invalid_copies"),
])
def test_invalid_options(options: PrintOptions, code: str) -> None:
    with pytest.raises(DomainError) as err:
        render_receipt(make_dossier(), OFFICE, CLERK, options)
    assert err.value.code == code


def test_write_pdf_is_atomic_and_overwrites(tmp_path: Path) -> None:
    target = tmp_path / "out" / "H45.123-261127-0007.pdf"
    write_pdf(b"old", target)
    data = render_receipt(make_dossier(), OFFICE, CLERK, opts())
    write_pdf(data, target)
    assert target.read_bytes() == data
    assert [p.name for p in target.parent.iterdir()] == [target.name]  # no temporary file left

