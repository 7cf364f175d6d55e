"""Ticket kiosk: touch a service → a ticket in the queue and on paper; priority; the procedure guide."""
from __future__ import annotations

import html

import pytest
from PySide6.QtCore import Qt
from queue_helpers import configure

from counter_app.ui import kiosk
from counter_app.ui.kiosk.view import PAGE_GUIDE, PAGE_HOME, PAGE_PRIORITY


@pytest.fixture
def window(office, runner, qtbot):
    configure(office)
    window = kiosk.create(office, runner)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    qtbot.waitUntil(lambda: set(window.service_buttons) == {"A", "B", "R"})
    return window


def touch(qtbot, button) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _ticket_shown(window) -> bool:
    return window.pages.currentWidget() is window.ticket_page


def test_touching_a_service_issues_and_prints_a_ticket(window, office, qtbot, pdf_dir, read_pdf):
    assert "Hộ tịch" in window.service_buttons["A"].text()
    touch(qtbot, window.service_buttons["A"])
    qtbot.waitUntil(lambda: _ticket_shown(window), timeout=20_000)
    number = window.ticket_number.text()
    waiting = office.queue.status().waiting
    assert [(t.number, t.service, t.state, t.priority) for t in waiting] == [(number, "A", "waiting", "")]
    assert "Hộ tịch" in window.ticket_service.text()
    assert "Bạn là người tiếp theo" in window.ticket_facts.text()
    pdfs = list(pdf_dir.glob("*.pdf"))
    assert len(pdfs) == 1
    assert number in read_pdf(pdfs[0]).replace(" ", "")
    assert window.ticket_print.property("role") == "kiosk-info"

    # The next citizen sees one person ahead of them.
    touch(qtbot, window.ticket_done)
    assert window.pages.currentIndex() == PAGE_HOME
    touch(qtbot, window.service_buttons["A"])
    qtbot.waitUntil(lambda: _ticket_shown(window) and window.ticket_number.text() != number, timeout=20_000)
    assert "Có 1 người đang chờ trước bạn" in window.ticket_facts.text()
    assert len(list(pdf_dir.glob("*.pdf"))) == 2


def test_priority_ticket(window, office, qtbot):
    touch(qtbot, window.priority_button)
    assert window.pages.currentIndex() == PAGE_PRIORITY
    touch(qtbot, window.priority_buttons["elderly"])
    assert window.pages.currentIndex() == PAGE_HOME
    assert window.priority_banner.isVisible() and "Người cao tuổi" in window.priority_banner.text()
    touch(qtbot, window.service_buttons["B"])
    qtbot.waitUntil(lambda: _ticket_shown(window), timeout=20_000)
    number = window.ticket_number.text()
    ticket = next(t for t in office.queue.status().waiting if t.number == number)
    assert (ticket.service, ticket.priority) == ("B", "elderly")
    assert "Vé ưu tiên: Người cao tuổi" in window.ticket_facts.text()
    # The next citizen starts with an ordinary ticket.
    assert not window.priority_banner.isVisible()
    touch(qtbot, window.ticket_done)
    touch(qtbot, window.service_buttons["B"])
    qtbot.waitUntil(lambda: _ticket_shown(window) and window.ticket_number.text() != number, timeout=20_000)
    assert next(t for t in office.queue.status().waiting if t.number == window.ticket_number.text()).priority == ""


def test_no_printer_shows_the_number_big(window, office, qtbot, pdf_dir):
    office.office.set_setting("kiosk_printer", "May in khong ton tai", "admin")  # an administrator sets it up
    touch(qtbot, window.service_buttons["A"])
    qtbot.waitUntil(lambda: _ticket_shown(window), timeout=20_000)
    number = window.ticket_number.text()
    assert number and window.ticket_print.property("role") == "kiosk-warn"
    assert number in window.ticket_print.text()
    assert [t.number for t in office.queue.status().waiting] == [number]  # the place in the queue is kept
    assert not list(pdf_dir.glob("*.pdf"))


def test_guide_search_without_diacritics_shows_papers_and_prints(window, office, qtbot, pdf_dir, read_pdf):
    touch(qtbot, window.guide_button)
    guide = window.guide
    assert window.pages.currentIndex() == PAGE_GUIDE
    for key in "KHAI SINH":
        touch(qtbot, guide.keyboard.keys[key])
    assert guide.search.text() == "khai sinh"
    qtbot.waitUntil(lambda: any(guide.list.item(i).text() == "Đăng ký khai sinh" for i in range(guide.list.count())))
    item = next(guide.list.item(i)
                for i in range(guide.list.count()) if guide.list.item(i).text() == "Đăng ký khai sinh")
    rect = guide.list.visualItemRect(item)
    qtbot.mouseClick(guide.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    entry = next(e for e in office.queue.guide("khai sinh") if e.name == "Đăng ký khai sinh")
    assert entry.components
    text = guide.detail.text()
    assert all(html.escape(c) in text for c in entry.components)
    assert html.escape(entry.time_text) in text and html.escape(entry.fee_text) in text

    touch(qtbot, guide.print_button)
    qtbot.waitUntil(lambda: "Đã in" in guide.status.text(), timeout=20_000)
    pdfs = list(pdf_dir.glob("*.pdf"))
    assert len(pdfs) == 1
    assert "khai sinh" in read_pdf(pdfs[0]).lower()


def test_idle_kiosk_returns_home_in_vietnamese(office, runner, qtbot):
    configure(office)
    window = kiosk.create(office, runner, idle_ms=300)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: bool(window.service_buttons))
    touch(qtbot, window.language_button)
    assert window.home_title.text() == "Touch the service you need to take a number"
    touch(qtbot, window.guide_button)
    touch(qtbot, window.guide.keyboard.keys["K"])
    assert window.pages.currentIndex() == PAGE_GUIDE
    qtbot.waitUntil(lambda: window.pages.currentIndex() == PAGE_HOME, timeout=5_000)
    assert window.home_title.text() == "Chạm vào dịch vụ bạn cần để lấy số thứ tự"
    assert window.guide.search.text() == ""


def test_the_demo_office_kiosk_offers_its_services(office, runner, qtbot):
    """A newcomer's first try: no set-up at all, the demo office's kiosk lists its areas."""
    window = kiosk.create(office, runner)
    qtbot.addWidget(window)
    window.resize(1280, 720)
    window.show()
    qtbot.waitUntil(lambda: set(window.service_buttons) == {"A", "B", "C", "D", "R"})
    assert not window.empty_label.isVisible()
    assert "Hộ tịch" in window.service_buttons["A"].text() and "Kinh doanh" in window.service_buttons["C"].text()
    touch(qtbot, window.service_buttons["B"])
    qtbot.waitUntil(lambda: _ticket_shown(window), timeout=20_000)
    assert window.ticket_number.text() == "B001"
