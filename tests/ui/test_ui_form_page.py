"""The first-run form pages' fields: each refusal under its own field, in form order, the first focused."""
from __future__ import annotations

from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget

from counter_app.domain.errors import ValidationFailed
from counter_app.ui.form_page import FormFields
from counter_app.ui.style import error_label

SPECS = (("name", "Tên quầy", "Quầy 1"), ("code", "Mã định danh cơ quan", "H45.123"),
         ("secret", "Mật khẩu", ""))


def _page(qtbot):
    page = QWidget()
    qtbot.addWidget(page)
    form = FormFields(SPECS, passwords={"secret"})
    other = error_label()
    layout = QVBoxLayout(page)
    layout.addLayout(form.grid)
    layout.addWidget(other)
    form.retranslate()
    page.show()
    return page, form, other


def test_fields_in_order_with_their_labels_and_the_password_hidden(qtbot) -> None:
    _page_widget, form, _other = _page(qtbot)
    assert list(form.fields) == ["name", "code", "secret"]
    assert [form.labels[k].text() for k in form.fields] == ["Tên quầy:", "Mã định danh cơ quan:", "Mật khẩu:"]
    assert form.labels["code"].buddy() is form.fields["code"]
    assert form.fields["code"].placeholderText() == "H45.123"
    assert form.fields["secret"].echoMode() == QLineEdit.EchoMode.Password
    assert form.fields["name"].echoMode() == QLineEdit.EchoMode.Normal


def test_a_refusal_goes_under_its_fields_and_the_rest_on_the_page_line(qtbot) -> None:
    page, form, other = _page(qtbot)
    refused = ValidationFailed({"secret": "field.required", "code": "field.too_long", "office": "field.required"},
                               {"code": {"max": 64}})
    form.show_refusal(refused, other)
    assert form.errors["code"].isVisible() and form.errors["code"].text() == "Quá dài (tối đa 64 ký tự)"
    assert form.errors["secret"].text() == "Bắt buộc nhập"
    assert not form.errors["name"].isVisible()
    assert other.isVisible() and other.text() == "Bắt buộc nhập"  # "office" is no field of this page
    assert page.focusWidget() is form.fields["code"]  # the first refused field in form order
    form.clear_errors(other)
    assert not any(label.isVisible() for label in (*form.errors.values(), other))
