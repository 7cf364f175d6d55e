"""Demo history hands each dossier to the department the office's routing table names (handover.routing)."""
from __future__ import annotations

from collections import Counter
from datetime import date

from sqlalchemy import select

from counter_app.domain.calendar import WorkingCalendar
from counter_app.domain.org import OfficeHours, OrgUnit
from counter_app.domain.status import EventKind
from counter_app.services.demo import DEMO_DEPARTMENTS, DEMO_OFFICE, DEMO_ROUTING, generate_history
from counter_app.services.lifecycle_routing import ROUTING_SETTING, department_for, parse_routing


def test_seeded_demo_handovers_follow_the_offices_routing(services, uow_factory):
    services.setup.seed_demo(dossiers=400)
    from counter_app.storage.models import dossier_events, dossiers

    with uow_factory() as uow:
        routing = parse_routing(uow.settings.get(ROUTING_SETTING))
        fields = {v.code: v.field for v in uow.catalog.list_current(date.today())}
        rows = uow._session.execute(  # noqa: SLF001 - a test reads every event at once
            select(dossiers.c.procedure_code, dossier_events.c.data)
            .join(dossier_events, dossier_events.c.dossier_id == dossiers.c.id)
            .where(dossier_events.c.kind == EventKind.HANDED_OVER.value)).all()
    assert routing == DEMO_ROUTING and rows
    names = {u.code: u.name for u in DEMO_DEPARTMENTS}
    seen = Counter()
    for procedure, data in rows:
        expected = department_for(routing, procedure, fields[procedure])
        assert data["to"] == expected, (procedure, fields[procedure], data["to"])
        assert data["to_name"] == names[expected]
        seen[expected] += 1
    # Social protection and household businesses are not the justice officer's: they appear too.
    assert set(seen) == {"H45.123.01", "H45.123.02", "H45.123.03"}, seen


def test_an_edited_routing_table_is_followed_and_an_unrouted_field_goes_to_the_first_department(services, uow_factory):
    services.setup.seed_demo()
    with uow_factory() as uow:
        versions = uow.catalog.list_current(date.today())
        calendar = WorkingCalendar(uow.calendar.entries())
    other = OrgUnit(code="H45.123.09", name="Công chức Địa chính", level="department", parent_code=DEMO_OFFICE.code)
    units = (*DEMO_DEPARTMENTS, other)
    history = generate_history(200, versions=versions, calendar=calendar, hours=OfficeHours(),
                               office_code=DEMO_OFFICE.code,
                               clerks=["canbo1"], node="n", today=date(2026, 6, 1),
                               routing={"Chứng thực": "H45.123.09", "1.001193": "H45.123.02"}, departments=units)
    by_id = {d.id: d for d in history.dossiers}
    fields = {v.code: v.field for v in versions}
    targets = Counter()
    for event in history.events:
        if event.kind is EventKind.HANDED_OVER:
            d = by_id[event.dossier_id]
            want = {"Chứng thực": "H45.123.09"}.get(fields[d.procedure_code], "H45.123.01")
            if d.procedure_code == "1.001193":
                want = "H45.123.02"  # a procedure code wins over its field
            assert event.data["to"] == want, (d.procedure_code, event.data)
            targets[want] += 1
    assert targets["H45.123.09"] and targets["H45.123.02"] and targets["H45.123.01"]
    assert next(e for e in history.events if e.data.get("to") == "H45.123.09").data["to_name"] == "Công chức Địa chính"
