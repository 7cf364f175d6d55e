"""Fees, status machine, catalogue round-trip, passwords, ids, text folding."""
from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest
from catalogue_po import english
from hypothesis import given
from hypothesis import strategies as st

from counter_app.domain.catalog import ProcedureVersion
from counter_app.domain.errors import DomainError
from counter_app.domain.fees import FeeInput, FeeRule
from counter_app.domain.ids import uuid7
from counter_app.domain.messages import MESSAGES, message
from counter_app.domain.status import EventKind, Status, fold
from counter_app.domain.text import fold as fold_text
from counter_app.domain.text import matches
from counter_app.domain.users import hash_password, verify_password

CATALOG = Path(__file__).resolve().parents[2] / "resources" / "catalog" / "procedures.json"
CERTIFIED_COPY = FeeRule.from_dict({"kind": "per_page", "per": "copy", "steps": [[1, 2, 2000], [3, None, 1000]],
                                    "cap": 200000})


@pytest.mark.parametrize(("pages", "per_copy"),
                         [(1, 2000), (2, 4000), (3, 5000), (10, 12000), (198, 200000), (500, 200000)])
def test_certified_copy_fee_steps_and_cap(pages: int, per_copy: int):
    assert CERTIFIED_COPY.page_price(pages) == per_copy
    assert CERTIFIED_COPY.quote(FeeInput(copies=2, pages=pages)).amount == 2 * per_copy


def test_other_fee_kinds():
    assert FeeRule.from_dict({"kind": "fixed", "amount": 8000, "per": "copy"}).quote(FeeInput(copies=3)).amount == 24000
    assert FeeRule.from_dict({"kind": "fixed", "amount": 10000}).quote(FeeInput(copies=3)).amount == 10000
    on_time = FeeRule.from_dict({"kind": "free_if_on_time", "amount": 8000})
    assert on_time.quote(FeeInput()).amount == 0 and on_time.quote(FeeInput(late=True)).amount == 8000
    with pytest.raises(DomainError):
        FeeRule.from_dict({"kind": "bribe"})


@given(st.integers(1, 2000), st.integers(1, 50))
def test_per_page_fee_is_monotonic_and_capped(pages: int, copies: int):
    one = CERTIFIED_COPY.page_price(pages)
    assert one <= 200000 and one >= CERTIFIED_COPY.page_price(max(1, pages - 1))
    assert CERTIFIED_COPY.quote(FeeInput(copies=copies, pages=pages)).amount == one * copies


def test_status_machine_happy_path_and_violations():
    path = [EventKind.RECEIVED, EventKind.HANDED_OVER, EventKind.RESULT_RECEIVED, EventKind.RETURNED]
    assert fold(path) == fold(path)  # pure
    assert fold(path).status is Status.RETURNED and fold(path).violations == ()
    assert fold([EventKind.SUPPLEMENT_REQUESTED, EventKind.RECEIVED]).status is Status.RECEIVED
    merged = fold([*path, EventKind.RETURNED])  # two "returned" after a sync merge: kept and flagged
    assert merged.status is Status.RETURNED and merged.violations == (4,)
    assert fold([EventKind.RECEIVED, EventKind.PRINTED, EventKind.EXTENDED]).status is Status.RECEIVED


def test_shipped_catalogue_round_trips_and_has_the_16_procedures():
    data = json.loads(CATALOG.read_text(encoding="utf-8"))["procedures"]
    versions = [ProcedureVersion.from_dict(item) for item in data]
    assert {v.code for v in versions} >= {
        "1.001193", "1.000894", "1.000656", "1.004873", "1.004859", "1.001022", "1.004837", "1.004884",
        "1.004746", "2.000635", "2.000815", "2.000884", "1.001612", "2.000575", "1.001699", "1.011607"}
    for v in versions:
        again = ProcedureVersion.from_dict(v.to_dict())
        assert again == v and again.id == v.id
    assert len({v.id for v in versions}) == len(versions)


def test_passwords_use_scrypt():
    stored = hash_password("canbo123")
    assert stored.startswith("scrypt$") and "canbo123" not in stored
    assert verify_password("canbo123", stored) and not verify_password("canbo124", stored)
    assert not verify_password("x", "garbage")


def test_uuid7_is_version_7_and_time_ordered():
    ids = [uuid7() for _ in range(2000)]
    assert ids == sorted(ids) and len(set(ids)) == 2000
    assert all(uuid.UUID(i).version == 7 for i in ids[:10])
    assert uuid7(1_000) < uuid7(2_000)


def test_search_without_diacritics():
    assert fold_text("Đăng ký  KHAI sinh") == "dang ky khai sinh"
    assert matches("dang ky khai sinh", "Đăng ký khai sinh")
    assert matches("1.0011", "1.001193", "Đăng ký khai sinh")
    assert not matches("ket hon", "Đăng ký khai sinh")


def test_every_message_has_both_languages():
    missing = [code for code, text_vi in MESSAGES.items() if not text_vi or not english(text_vi, context=code)]
    assert missing == []
    assert message("fee.fixed", "vi", amount=8000) == "Lệ phí 8.000 đ"  # Vietnamese thousands separator
    assert message("fee.fixed", "en", amount=8000) == "Fee 8,000 VND"
    assert message("no.such.code") == "no.such.code"
