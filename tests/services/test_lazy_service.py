"""OnFirstUse: a service the first screen does not need is built on its first use, once."""
from __future__ import annotations

import threading

from counter_app.services.lazy import OnFirstUse


class Built:
    def __init__(self) -> None:
        self.queue_of = None

    def answer(self) -> int:
        return 42


def test_built_on_the_first_attribute_read_and_only_once():
    made: list[Built] = []
    lazy = OnFirstUse(lambda: made.append(Built()) or made[-1])
    assert made == [] and not lazy.is_built
    assert lazy.answer() == 42 and lazy.answer() == 42
    assert len(made) == 1 and lazy.is_built


def test_setting_an_attribute_sets_it_on_the_built_object():
    made: list[Built] = []
    lazy = OnFirstUse(lambda: made.append(Built()) or made[-1])
    lazy.queue_of = "queue"
    assert made[0].queue_of == "queue" and lazy.queue_of == "queue"


def test_threads_racing_to_the_first_use_build_it_once():
    made: list[Built] = []
    start = threading.Barrier(8)

    def build() -> Built:
        made.append(Built())
        return made[-1]

    lazy = OnFirstUse(build)

    def use() -> None:
        start.wait()
        lazy.answer()

    threads = [threading.Thread(target=use) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(made) == 1


LATER_SCREENS = ("dossiers", "prints", "calendar", "lifecycle", "worklist", "lookup", "reports", "queue_setup")


def test_the_composition_root_builds_the_later_screens_services_on_first_use_each(services):
    # build_services (the app's composition root) on a real SQLite file, through make_services.
    assert [name for name in LATER_SCREENS if getattr(services, name).is_built] == []
    assert list(services.lookup.search("Nguyễn").hits) == []  # a real search of the empty office
    assert [name for name in LATER_SCREENS if getattr(services, name).is_built] == ["lookup"]
    assert services.calendar._reception is services.reception  # the calendar shares the reception service
    assert [name for name in LATER_SCREENS if getattr(services, name).is_built] == ["calendar", "lookup"]
