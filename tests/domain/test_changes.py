"""The one change codec and the one merge: round trips for every kind, and the merge's algebra.

Payloads cross the wire as JSON, so every round trip goes through ``json.dumps``/``loads``
as well: ``decode(loads(dumps(encode(x)))) == x``.
"""
from __future__ import annotations

import itertools
import json
from datetime import datetime

import pytest
from change_values import VALUES, json_value, text
from hypothesis import given
from hypothesis import strategies as st

from counter_app.domain import changes
from counter_app.domain.changes import (
    CODECS,
    ChangeKind,
    Unreadable,
    merge_fields,
)
from counter_app.domain.dossier import Applicant, Dossier


def test_every_kind_has_a_codec_and_a_strategy() -> None:
    assert set(CODECS) == set(ChangeKind) == set(VALUES)


@pytest.mark.parametrize("kind", list(ChangeKind))
def test_decode_of_encode_is_the_value_for_every_kind(kind: ChangeKind) -> None:
    @given(VALUES[kind])
    def check(value) -> None:
        wire = json.loads(json.dumps(changes.encode(kind, value), ensure_ascii=False))
        assert changes.decode(kind, wire) == value

    check()


@pytest.mark.parametrize("kind", list(ChangeKind))
def test_a_new_change_names_its_entity_and_carries_the_encoded_value(kind: ChangeKind) -> None:
    @given(VALUES[kind])
    def check(value) -> None:
        entry = changes.change(kind, value, hlc="1790000000000-00000-ws1", at=datetime(2026, 12, 3, 9, 0))
        assert (entry.kind, entry.entity_id) == (kind.value, CODECS[kind].entity_id(value))
        assert changes.decode(kind, entry.payload) == value

    check()


def test_a_payload_is_never_read_by_a_crash() -> None:
    """Whatever arrives, decoding either succeeds or says ``payload.invalid`` naming the field."""
    @given(st.sampled_from(list(ChangeKind)), st.dictionaries(text, json_value, max_size=6) | json_value)
    def check(kind, payload) -> None:
        try:
            changes.decode(kind, payload)
        except Unreadable as exc:
            assert exc.code == "payload.invalid" and exc.params["detail"]

    check()


@pytest.mark.parametrize(("field", "value", "said"), [
    ("id", None, "id: Field required"), ("sets", "2", "sets: Input should be a valid integer"),
    ("received_at", "hôm qua", "received_at: Input should be a valid datetime"),
    ("applicant", ["An"], "applicant: Input should be a valid dictionary"),
    ("components", [{"name": "Tờ khai", "kind": "photo"}], "kind: Input should be 'original'"),
])
def test_a_wrong_dossier_field_is_named(field: str, value, said: str) -> None:
    payload = changes.encode_dossier(_sample_dossier())
    if value is None:
        del payload[field]
    else:
        payload[field] = value
    with pytest.raises(Unreadable) as caught:
        changes.decode(ChangeKind.DOSSIER_UPSERT, payload)
    assert said in caught.value.params["detail"]


def _sample_dossier() -> Dossier:
    return Dossier(id="d1", code="H45.201-261203-0001", lookup_code="ABC123", office_code="H45.201",
                   procedure_code="1.001193", procedure_version_id="pv", procedure_name="Đăng ký khai sinh",
                   applicant=Applicant("Nguyễn Văn An"), components=(), sets=1, pages=None, delivery="counter", fee=0,
                   fee_explanation="", received_at=datetime(2026, 12, 3, 9, 0), due_at=None, due_explanation="",
                   competent_agency="H45.201", ledger_book="01/2026", ledger_number=1, received_by="canbo",
                   workstation_id="ws1")


# ---- the merge --------------------------------------------------------------------------------
KEYS = ["note", "sets", "applicant", "code"]
STAMPS = [f"17900000000{n:02d}-00000-ws{n % 3}" for n in range(6)]  # few, so ties happen
values = st.none() | st.integers(-3, 3) | st.sampled_from(["x", "y", "Ân"]) | st.lists(st.integers(0, 2), max_size=2)


@st.composite
def states(draw) -> tuple[dict, dict]:
    keys = draw(st.lists(st.sampled_from(KEYS), unique=True))
    return ({k: draw(values) for k in keys}, {k: draw(st.sampled_from(STAMPS)) for k in keys})


def join(a: tuple[dict, dict], b: tuple[dict, dict]) -> tuple[dict, dict]:
    merged = merge_fields(a[0], a[1], b[0], b[1])
    return merged.fields, merged.stamps


@given(states(), states())
def test_merge_is_commutative(a, b) -> None:
    assert join(a, b) == join(b, a)


@given(states(), states(), states())
def test_merge_is_associative(a, b, c) -> None:
    assert join(join(a, b), c) == join(a, join(b, c))


@given(states(), states())
def test_merge_is_idempotent(a, b) -> None:
    assert join(a, a) == a
    ab = join(a, b)
    assert join(ab, b) == ab


@given(states(), st.lists(st.tuples(st.dictionaries(st.sampled_from(KEYS), values, min_size=1),
                                    st.sampled_from(STAMPS)), min_size=1, max_size=4))
def test_changes_applied_in_any_order_give_one_result(start, pushed) -> None:
    """What every counter and the server see: the same changes, in different orders."""
    results = set()
    for order in itertools.permutations(pushed):
        fields, stamps = start
        for incoming, stamp in order:
            merged = merge_fields(fields, stamps, incoming, stamp)
            fields, stamps = merged.fields, merged.stamps
        results.add(json.dumps([fields, stamps], sort_keys=True))
    assert len(results) == 1


def test_an_older_value_loses_and_is_reported_a_newer_one_wins_silently() -> None:
    fields, stamps = {"note": "x", "sets": 1}, {"note": STAMPS[1], "sets": STAMPS[1]}
    newer = merge_fields(fields, stamps, {"note": "y", "sets": 1}, STAMPS[3])
    assert (newer.fields, newer.changed, newer.losses) == ({"note": "y", "sets": 1}, {"note": "y"}, ())
    assert newer.stamps == {"note": STAMPS[3], "sets": STAMPS[3]}
    older = merge_fields(newer.fields, newer.stamps, {"note": "z"}, STAMPS[2])
    assert older.fields == newer.fields and older.changed == {}
    assert older.losses == (changes.Loss("note", STAMPS[3], "y", STAMPS[2], "z"),)


def test_an_equal_value_under_a_newer_stamp_moves_the_stamp() -> None:
    """So an edit stamped in between loses on every node (the counter once let it win)."""
    merged = merge_fields({"note": "x"}, {"note": STAMPS[1]}, {"note": "x"}, STAMPS[3])
    assert merged.stamps == {"note": STAMPS[3]} and merged.changed == {}
    late = merge_fields(merged.fields, merged.stamps, {"note": "y"}, STAMPS[2])
    assert late.fields == {"note": "x"} and [loss.loser_value for loss in late.losses] == ["y"]


def test_merge_does_not_touch_its_inputs() -> None:
    fields, stamps = {"note": "x"}, {"note": STAMPS[1]}
    merge_fields(fields, stamps, {"note": "y", "sets": 2}, STAMPS[4])
    assert (fields, stamps) == ({"note": "x"}, {"note": STAMPS[1]})



def test_a_calendar_entry_from_an_older_server_gets_its_origin_from_its_source() -> None:
    entry = changes.decode(ChangeKind.REF_CALENDAR, {"day": "2026-09-02", "kind": "holiday", "name": "Quốc khánh",
                                                     "source": "holidays 0.60: Labour Code art. 112"})
    assert (entry.origin.value, entry.active, entry.note) == ("package", True, "")
