"""The unit of work tells the announcer what each commit wrote to the outbox and which reference data it
wrote, and nothing else."""
from __future__ import annotations

import pytest

from counter_app.domain.change_set import ChangeSet
from counter_app.domain.status import EventKind
from counter_app.services.announcer import Announcer
from counter_app.storage.engine import open_database
from counter_app.storage.uow import make_uow_factory


@pytest.fixture
def heard(db_path):
    announcer = Announcer()
    sets: list[ChangeSet] = []
    announcer.subscribe(sets.append)
    engine = open_database(db_path)
    yield make_uow_factory(engine, on_commit=announcer.announce), sets, announcer
    engine.dispose()


def _receive(uow, samples):
    d = samples.dossier()
    uow.dossiers.add(d)
    uow.events.append(samples.event(d, EventKind.RECEIVED, "0000000001-0000-ws-1"))
    uow.record(samples.outbox(d.id, kind="dossier.upsert"))
    return d


def test_a_commit_is_announced_once_with_its_dossier(heard, samples):
    factory, sets, _ = heard
    with factory() as uow:
        d = _receive(uow, samples)
        assert sets == []  # not before the data is durable
        uow.commit()
    assert sets == [ChangeSet(dossiers=frozenset({d.id}), outbox=1)]


def test_a_rollback_or_a_failure_announces_nothing(heard, samples):
    factory, sets, _ = heard
    with factory() as uow:
        _receive(uow, samples)
        uow.rollback()
        uow.commit()  # what was rolled back is not told by a later commit
    with pytest.raises(RuntimeError), factory() as uow:
        _receive(uow, samples)
        raise RuntimeError("printer on fire")
    with factory() as uow:
        _receive(uow, samples)  # left without commit
    assert sets == []


def test_two_commits_in_one_unit_are_told_apart(heard, samples):
    factory, sets, _ = heard
    with factory() as uow:
        first = _receive(uow, samples)
        uow.commit()
        second = _receive(uow, samples)
        uow.commit()
    assert [s.dossiers for s in sets] == [{first.id}, {second.id}]


def test_a_commit_without_outbox_rows_is_not_announced(heard):
    factory, sets, _ = heard
    with factory() as uow:
        uow.settings.set("language", "en")
        uow.commit()
    assert sets == []


def test_a_failing_listener_never_undoes_or_fails_the_commit(heard, samples):
    factory, sets, announcer = heard

    def broken(_changes: ChangeSet) -> None:
        raise ValueError("a screen's bug")

    announcer.unsubscribe(sets.append)
    announcer.subscribe(broken)
    announcer.subscribe(sets.append)
    with factory() as uow:
        d = _receive(uow, samples)
        uow.commit()
    assert [s.dossiers for s in sets] == [{d.id}]  # the next listener still heard it
    with factory() as uow:
        assert uow.dossiers.get(d.id) is not None


def test_the_app_announces_a_reception_and_a_queue_ticket(tmp_path, clock):
    from counter_app.app import build_services
    from counter_app.services.commands import ApplicantInput, ReceiveCommand

    services = build_services(tmp_path / "data", clock=clock)
    services.setup.seed_demo()
    sets: list[ChangeSet] = []
    services.context.announcer.subscribe(sets.append)
    applicant = ApplicantInput(name="Nguyễn Văn An", id_number="045090001234", phone="0912345678",
                               address="Số 12 đường Lê Lợi", email="")
    view = services.reception.receive(ReceiveCommand(procedure_code="1.001193", applicant=applicant, pages=2), "canbo1")
    assert len(sets) == 1 and sets[0].dossiers == {view.id} and sets[0].outbox >= 2
    services.queue.issue("A")
    assert len(sets) == 2 and sets[1].queue and sets[1].outbox == 1


def test_savepoints_release_nothing_early_and_roll_back_only_their_own_rows(heard, samples):
    factory, sets, _ = heard
    with factory() as uow:
        kept = _receive(uow, samples)
        session = uow._require()
        with session.begin_nested():
            inner = _receive(uow, samples)
        assert sets == []  # a released savepoint is not a commit
        with pytest.raises(RuntimeError), session.begin_nested():
            _receive(uow, samples)
            raise RuntimeError("a duplicate, caught")
        uow.commit()
    assert [s.dossiers for s in sets] == [{kept.id, inner.id}]


def test_a_duplicate_user_caught_in_its_savepoint_keeps_the_commit_announced(heard, samples):
    from counter_app.domain.errors import DomainError
    from counter_app.domain.users import Role, User

    factory, sets, _ = heard
    user = User(id="u-1", username="canbo.xa", full_name="Lê Thị Hoa", role=Role.CLERK, password_hash="x",
                office_code="H45.123")
    with factory() as uow:
        uow.users.add(user)
        d = _receive(uow, samples)
        with pytest.raises(DomainError):
            uow.users.add(user)  # the repository's own savepoint rolls back; the rest goes on
        uow.commit()
    assert [s.dossiers for s in sets] == [{d.id}]


def test_reference_data_written_here_is_announced_without_outbox_rows(heard, samples):
    from datetime import date

    from counter_app.domain.calendar import CalendarEntry, DayKind

    factory, sets, _ = heard
    holiday = CalendarEntry(date(2026, 9, 2), DayKind.HOLIDAY, "Quốc khánh")
    with factory() as uow:
        uow.calendar.put(holiday)
        uow.rollback()  # thrown away: nothing to tell
        uow.settings.set("counter_name", "Quầy 2")  # a setting changes no list a screen shows
        uow.commit()
    assert sets == []
    with factory() as uow:
        uow.calendar.put(holiday)
        uow.commit()
    assert sets == [ChangeSet(reference=frozenset({"ref.calendar"}))]
    assert sets[0].touches_calendar and sets[0].outbox == 0  # nothing for the sync controller to push
