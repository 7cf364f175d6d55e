"""Dossier codes, per-workstation number blocks and receipt lookup codes."""
from __future__ import annotations

import random
import re
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from counter_app.domain.codes import (
    LOOKUP_ALPHABET,
    DefaultCodeFormat,
    NumberBlock,
    is_lookup_code,
    lookup_code,
    normalize_lookup_code,
)
from counter_app.domain.errors import DomainError

FMT = DefaultCodeFormat()
AGENCIES = st.one_of(
    st.from_regex(r"\A[0-9]{3}\.[0-9]{2}\.[0-9]{2}\.[HG][0-9]{2}\Z"),
    st.from_regex(r"\A[HG][0-9]{2}(\.[0-9]{1,3}){1,2}\Z"),
)
# Two-digit years: the format reads 00–68 as 2000–2068.
DAYS = st.dates(min_value=date(2000, 1, 1), max_value=date(2068, 12, 31))


def test_examples_from_the_domain_brief() -> None:
    assert FMT.format("H45.123", date(2026, 3, 15), 7) == "H45.123-260315-0007"
    assert FMT.format("000.00.12.H36", date(2023, 7, 11), 3) == "000.00.12.H36-230711-0003"
    assert FMT.parse("000.00.12.H36-230711-0003") == ("000.00.12.H36", date(2023, 7, 11), 3)
    assert FMT.parse(" H44.123-260315-0007 ") == ("H44.123", date(2026, 3, 15), 7)


@pytest.mark.parametrize("bad", ["", "H45.123", "H45.123-261332-0001", "H45.123-260315-01", "H45.123-2603150001"])
def test_parse_rejects_malformed_codes(bad: str) -> None:
    assert FMT.parse(bad) is None


def test_number_blocks() -> None:
    assert NumberBlock(0).number(1) == 1
    assert NumberBlock(0).number(999) == 999
    assert NumberBlock(1).number(1) == 1001
    assert NumberBlock(9).number(999) == 9999
    assert FMT.format("H45.123", date(2026, 3, 15), NumberBlock(9).number(999)).endswith("-9999")
    assert NumberBlock(3).slot_of(NumberBlock(3).number(42)) == 3


def test_a_block_refuses_numbers_past_its_end() -> None:
    with pytest.raises(DomainError) as caught:
        NumberBlock(2).number(1000)
    assert caught.value.code == "codes.block_exhausted"
    assert caught.value.params == {"limit": 999}
    with pytest.raises(DomainError):
        NumberBlock(2).number(0)


def test_invalid_slot() -> None:
    with pytest.raises(DomainError) as caught:
        NumberBlock(-1)
    assert caught.value.code == "codes.invalid_slot"


@given(
    AGENCIES,
    DAYS,
    st.tuples(st.integers(0, 9), st.integers(1, 999)),
    st.tuples(st.integers(0, 9), st.integers(1, 999)),
)
def test_distinct_workstation_numbers_never_share_a_code(agency, day, first, second) -> None:
    code_a = FMT.format(agency, day, NumberBlock(first[0]).number(first[1]))
    code_b = FMT.format(agency, day, NumberBlock(second[0]).number(second[1]))
    assert (code_a == code_b) == (first == second)


@given(AGENCIES, DAYS, st.integers(1, 9999))
def test_parse_inverts_format(agency: str, day: date, number: int) -> None:
    assert FMT.parse(FMT.format(agency, day, number)) == (agency, day, number)


def test_lookup_code_shape() -> None:
    code = lookup_code()
    assert re.fullmatch(r"[0-9A-Z]{4}-[0-9A-Z]{4}", code)
    assert all(c in LOOKUP_ALPHABET for c in code.replace("-", ""))
    assert not set("ILOU") & set(code)


def test_lookup_code_is_reproducible_with_a_seeded_rng() -> None:
    assert lookup_code(random.Random(7)) == lookup_code(random.Random(7))
    assert lookup_code(random.Random(7)) != lookup_code(random.Random(8))


def test_normalize_lookup_code() -> None:
    assert normalize_lookup_code(" 7k3m q9xd ") == "7K3M-Q9XD"
    assert normalize_lookup_code("o1lI-abcd") == "0111-ABCD"
    assert normalize_lookup_code("ABCD-EFG") == "ABCDEFG"  # too short: left unformatted
    assert is_lookup_code("abcd efgh")
    assert not is_lookup_code("ABCDEFGHJ")
    assert not is_lookup_code("ABCD-EFGU")


@given(st.integers())
def test_a_printed_lookup_code_survives_being_retyped(seed: int) -> None:
    code = lookup_code(random.Random(seed))
    assert normalize_lookup_code(code) == code
    assert normalize_lookup_code(code.lower().replace("-", " ")) == code
    assert normalize_lookup_code(code.replace("0", "O").replace("1", "l")) == code
