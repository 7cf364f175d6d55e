"""Hypothesis strategies for the domain values every change kind carries (tests/domain, tests/server).

``text`` is any Unicode a clerk could type: no control characters and no lone
surrogates (the counter's validators refuse those; the server's checks for them have
their own tests in tests/hostile).
"""
from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

from hypothesis import strategies as st

from counter_app.domain.attachments import AttachmentDraft, attached_data
from counter_app.domain.calendar import CalendarEntry, DayKind, EntryOrigin
from counter_app.domain.catalog import ComponentKind
from counter_app.domain.changes import CalendarRemoval, ChangeKind, QueueChange
from counter_app.domain.dossier import (
                        Applicant,
                        AppliedExtension,
                        Dossier,
                        DossierEvent,
                        ReceivedComponent,
)
from counter_app.domain.org import OfficeHours, OrgUnit
from counter_app.domain.queue import QueueEventKind, Ticket, TicketEvent, TicketState
from counter_app.domain.status import EventKind
from counter_app.domain.users import Role, User
from counter_app.services.catalog import parse_catalog

CATALOG = parse_catalog((Path(__file__).resolve().parents[1] / "resources/catalog/procedures.json")
                        .read_text(encoding="utf-8"))

text = st.text(st.characters(exclude_categories=("Cc", "Cs")), max_size=30)
ident = st.text(st.characters(codec="ascii", categories=("L", "N")), min_size=1, max_size=36)
code = st.text(st.characters(codec="ascii", categories=("L", "N", "P")), min_size=1, max_size=64)
whole = st.integers(min_value=-(2**53), max_value=2**53)
zones = st.sampled_from([None, UTC, timezone(timedelta(hours=7))])
moment = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=zones)
days = st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1))
minute = st.times().map(lambda t: t.replace(second=0, microsecond=0))
json_value = st.recursive(st.none() | st.booleans() | whole | text,
                          lambda inner: st.lists(inner, max_size=3) | st.dictionaries(text, inner, max_size=3),
                          max_leaves=8)

dossiers = st.builds(
    Dossier, id=ident, code=code, lookup_code=code, office_code=code, procedure_code=code, procedure_version_id=ident,
    procedure_name=text, applicant=st.builds(Applicant, text, text, text, text, text),
    components=st.lists(st.builds(ReceivedComponent, text, st.sampled_from(ComponentKind), whole), max_size=4)
    .map(tuple),
    sets=whole, pages=st.none() | whole, delivery=st.sampled_from(["counter", "post"]), fee=whole,
    fee_explanation=text, received_at=moment, due_at=st.none() | moment, due_explanation=text, competent_agency=code,
    ledger_book=text, ledger_number=whole, received_by=text, workstation_id=text, note=text,
    missing=st.lists(text, max_size=3).map(tuple), reason=text,
    statutory_extension=st.none() | st.builds(AppliedExtension, code, text, text, st.integers(1, 99), text, text,
                                              st.booleans()),
)
# An attachment's record has a shape every node checks (domain/attachments.py): drawn as a counter writes it.
_attached = st.builds(
    lambda sha, size, pages, component, event_id: attached_data(AttachmentDraft(sha, size, pages, component),
                                                                event_id),
    st.text("0123456789abcdef", min_size=64, max_size=64), st.integers(0, 2**40), st.integers(0, 9999), text, ident)
_event_data = {
    EventKind.ATTACHED: _attached,
    EventKind.DETACHED: st.fixed_dictionaries({"attachment_id": ident, "reason": text}),
}
events = st.sampled_from(EventKind).flatmap(lambda kind: st.builds(
    DossierEvent, id=ident, dossier_id=ident, kind=st.just(kind), at=moment, actor=text, node=text,
    hlc=code, prev_event_id=st.none() | ident,
    data=_event_data.get(kind, st.dictionaries(text, json_value, max_size=4)),
))
tickets = st.builds(
    Ticket, id=ident, office_code=code, day=days, service=text, prefix=text, seq=whole, number=text, priority=text,
    state=st.sampled_from(TicketState), issued_at=moment, queued_at=moment, counter=st.none() | whole,
    target_counter=st.none() | whole, called_at=st.none() | moment, recalls=whole, call_order=st.none() | whole,
    note=text, dossier_id=text, node=text,
)
ticket_events = st.builds(
    TicketEvent, id=ident, ticket_id=ident, kind=st.sampled_from(QueueEventKind), at=moment,
    counter=st.none() | whole, actor=text, data=st.dictionaries(text, json_value, max_size=3), version=whole,
)
procedures = st.builds(
    lambda base, name, note, agency: dataclasses.replace(base, name=name, note=note, competent_agency=agency),
    st.sampled_from(CATALOG), st.text(min_size=1, max_size=30), text, st.sampled_from(["", "H45.201", "000.00.12.H45"]),
)
calendar = st.builds(CalendarEntry, day=days, kind=st.sampled_from(DayKind), name=text, source=text,
                     origin=st.sampled_from(EntryOrigin), note=text, active=st.booleans(),
                     disabled_reason=text) | st.builds(
    CalendarRemoval, days)
offices = st.builds(
    OrgUnit, code=code, name=text, level=st.sampled_from(["province", "commune", "department"]),
    parent_code=st.none() | code, valid_from=st.none() | days, valid_to=st.none() | days, address=text, phone=text,
    place_name=text, parent_name=text,
    hours=st.lists(st.tuples(minute, minute), min_size=1, max_size=3).map(lambda p: OfficeHours(tuple(p))),
)
users = st.builds(User, id=ident, username=code, full_name=text, role=st.sampled_from(Role), office_code=code,
                  password_hash=text, active=st.booleans())

VALUES = {
    ChangeKind.DOSSIER_UPSERT: dossiers,
    ChangeKind.DOSSIER_EVENT: events,
    ChangeKind.QUEUE_EVENT: st.builds(QueueChange, tickets, ticket_events),
    ChangeKind.REF_PROCEDURE: procedures,
    ChangeKind.REF_CALENDAR: calendar,
    ChangeKind.REF_OFFICE: offices,
    ChangeKind.REF_USER: users,
}
