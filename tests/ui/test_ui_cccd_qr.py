"""The CCCD QR parser: pure function, no Qt."""
from __future__ import annotations

from datetime import date

from counter_app.ui.reception.cccd_qr import parse_cccd_qr

QR = "045190001234|123456789|Nguyễn  Văn An|01011990|Nam|Số 12 Lê Lợi, Đông Hà, Quảng Trị|01012021"


def test_full_qr_is_split_into_fields():
    card = parse_cccd_qr(QR)
    assert card is not None
    assert (card.id_number, card.old_id, card.name) == ("045190001234", "123456789", "Nguyễn Văn An")
    assert card.birth_date == date(1990, 1, 1) and card.issued_on == date(2021, 1, 1)
    assert card.address == "Số 12 Lê Lợi, Đông Hà, Quảng Trị" and card.sex == "Nam"


def test_partial_scan_is_not_parsed_until_the_last_date_is_complete():
    for cut in range(1, len(QR)):
        assert parse_cccd_qr(QR[:cut]) is None, QR[:cut]


def test_other_texts_are_not_cards():
    assert parse_cccd_qr("045190001234") is None
    assert parse_cccd_qr("12345|x|Tên|01011990|Nam|Địa chỉ|01012021") is None  # not a 12-digit ID
    assert parse_cccd_qr("045190001234||Tên|31021990|Nam|Địa chỉ|01012021") is None  # 31 February
