"""Validators for applicant fields: phone, identity number, email, name (domain.md §4)."""
from __future__ import annotations

import unicodedata
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from counter_app.domain.messages import MESSAGES
from counter_app.domain.validators import (
    CCCD_PROVINCES,
    MOBILE_PREFIXES,
    NAME_MAX,
    describe_id,
    normalize_phone,
    validate_email,
    validate_id_number,
    validate_person_name,
    validate_phone,
)

TODAY = date(2026, 3, 10)

# --- phone ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    ["0912345678", "0912 345 678", "0912.345.678", "0912-345-678", "+84 912 345 678", "84912345678",
     "(+84) 912-345-678", "0084912345678", "+84 0912 345 678"],
)
def test_mobile_forms_normalise_to_leading_zero(raw: str) -> None:
    assert validate_phone(raw) == ("0912345678", None)


def test_landline_with_area_code() -> None:
    assert validate_phone("0233 3852 123") == ("02333852123", None)  # Quảng Trị
    assert validate_phone("+84 233 3852 123") == ("02333852123", None)


@pytest.mark.parametrize("raw",
                         ["0112345678", "0612345678", "091234567", "09123456789", "0233385212", "abc",
                          "+1 202 555 0100", "０９１２３４５６７８"])
def test_invalid_phones(raw: str) -> None:
    assert validate_phone(raw)[1] == "phone.invalid"


def test_empty_phone_is_allowed() -> None:
    assert validate_phone("") == ("", None)
    assert validate_phone("   ") == ("", None)


@given(st.text())
def test_normalize_phone_is_idempotent(raw: str) -> None:
    once = normalize_phone(raw)
    assert normalize_phone(once) == once


@given(st.sampled_from(MOBILE_PREFIXES), st.from_regex(r"\A[0-9]{8}\Z"),
       st.sampled_from(["0", "+84", "84", "+84 ", "0084", "(+84) "]))
def test_every_written_form_of_a_mobile_is_the_same_number(prefix: str, rest: str, country: str) -> None:
    national = prefix + rest  # "09" + 8 digits
    written = national if country == "0" else country + national[1:]
    assert validate_phone(written) == (national, None)
    assert validate_phone(f"{national[:4]} {national[4:7]} {national[7:]}") == (national, None)


# --- identity numbers ------------------------------------------------------------------------------


def test_valid_cccd() -> None:
    assert validate_id_number("001099012345", TODAY) == ("001099012345", None, [])
    assert validate_id_number(" 045 199 012 345 ", TODAY) == ("045199012345", None, [])
    info = describe_id("045199012345")
    assert (info.province, info.birth_year, info.female) == ("Quảng Trị", 1999, True)
    assert describe_id("079203012345").birth_year == 2003


def test_cccd_with_unknown_province_is_an_error() -> None:
    assert validate_id_number("003099012345", TODAY)[1] == "id.unknown_province"
    assert validate_id_number("097099012345", TODAY)[1] == "id.unknown_province"


def test_cccd_born_in_the_future_only_warns() -> None:
    assert validate_id_number("001230012345", TODAY) == ("001230012345", None, ["id.future_birth_year"])
    assert validate_id_number("001400012345", TODAY)[2] == ["id.future_birth_year"]  # 2100
    assert validate_id_number("001226012345", TODAY)[2] == []  # 2026 is not future


def test_old_id_and_passport() -> None:
    assert validate_id_number("123456789", TODAY) == ("123456789", None, [])
    assert validate_id_number("c1234567", TODAY) == ("C1234567", None, [])


@pytest.mark.parametrize("raw", ["12345", "1234567890", "AB123456", "C123456", "0010990123456", "Ｃ1234567"])
def test_malformed_ids(raw: str) -> None:
    assert validate_id_number(raw, TODAY)[1] == "id.invalid_format"


def test_empty_id_is_allowed() -> None:
    assert validate_id_number("", TODAY) == ("", None, [])


def test_province_table_is_the_63_pre_2025_provinces() -> None:
    assert len(CCCD_PROVINCES) == 63
    assert CCCD_PROVINCES["044"] == "Quảng Bình"
    assert all(len(code) == 3 and code.isdigit() for code in CCCD_PROVINCES)


@given(st.text())
def test_validate_id_number_never_raises(raw: str) -> None:
    _, error, warnings = validate_id_number(raw, TODAY)
    assert error is None or error in MESSAGES
    assert all(w in MESSAGES for w in warnings)


# --- email ---------------------------------------------------------------------------------------


def test_valid_email_lowercases_the_domain_only() -> None:
    assert validate_email(" Nguyen.Van.A@Gmail.COM ") == ("Nguyen.Van.A@gmail.com", None)
    assert validate_email("a+b@ubnd.quangtri.gov.vn") == ("a+b@ubnd.quangtri.gov.vn", None)


@pytest.mark.parametrize("raw",
                         ["a@b", "a..b@x.com", "@x.com", "a@-x.com", "a b@x.com", "a@x.c", "nguyễn@x.com", "a@x..com"])
def test_invalid_emails(raw: str) -> None:
    assert validate_email(raw)[1] == "email.invalid"


def test_empty_email_is_allowed() -> None:
    assert validate_email("") == ("", None)


# --- names ------------------------------------------------------------------------------------------


def test_name_is_nfc_with_single_spaces() -> None:
    decomposed = unicodedata.normalize("NFD", "  Nguyễn   Văn  Ánh ")
    assert validate_person_name(decomposed) == ("Nguyễn Văn Ánh", None)


@pytest.mark.parametrize("raw", ["H'Hen Niê", "H’Hen Niê", "Đặng Thị Ngọc-Ánh", "Lê Văn B.", "Ksor Y Tim", "O'Neil"])
def test_names_accepted(raw: str) -> None:
    assert validate_person_name(raw)[1] is None


@pytest.mark.parametrize("raw", ["Nguyễn Văn A1", "Trần @ Bình", "...", "- '", "\u0301Lê"])
def test_names_refused(raw: str) -> None:
    assert validate_person_name(raw)[1] == "applicant.name.invalid"


def test_name_required_and_length() -> None:
    assert validate_person_name("   ")[1] == "applicant.name.required"
    assert validate_person_name("A" * NAME_MAX)[1] is None
    assert validate_person_name("A" * (NAME_MAX + 1))[1] == "field.too_long"
