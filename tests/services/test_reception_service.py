"""Reception use cases on a real SQLite file, wired like the app."""
from __future__ import annotations

import dataclasses
import re
from datetime import datetime

import pytest

from counter_app.domain.errors import DomainError, NotFound, ValidationFailed
from counter_app.services.commands import ApplicantInput, ComponentInput, ReceiveCommand

AN = ApplicantInput(
    name="Nguyễn Văn An", id_number="045090001234", phone="+84 912 345 678",
    address="Số 12 đường Lê Lợi, phường Đông Hà, tỉnh Quảng Trị", email="an@example.vn",
)


def birth(**kw) -> ReceiveCommand:
    return ReceiveCommand(procedure_code="1.001193", applicant=AN, **kw)


def outbox_rows(uow_factory):
    with uow_factory() as uow:
        return uow.outbox.pending(1000)


def test_receive_saves_dossier_event_and_outbox_together(demo, uow_factory):
    view = demo.reception.receive(birth(), "canbo1")
    assert re.fullmatch(r"H45\.123-261127-0001", view.code)
    assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}", view.lookup_code)
    assert view.status == 2 and view.status_name == "Được tiếp nhận"
    assert view.applicant.phone == "0912345678"  # normalised
    assert view.received_by == "canbo1" and view.received_by_name == "Nguyễn Thị Lan"
    # Same-day procedure received 09:30 → due at closing time today.
    assert view.due_at == datetime(2026, 11, 27, 17, 0)
    assert [c.name for c in view.components] == ["Tờ khai đăng ký khai sinh", "Giấy chứng sinh"]
    rows = outbox_rows(uow_factory)
    assert sorted(r.kind for r in rows) == ["dossier.event", "dossier.upsert"]
    assert {r.entity_id for r in rows} == {view.id, view.events[0].id}
    stored = demo.dossiers.get(view.code)
    assert stored.to_json() == view.to_json()
    assert [e.kind for e in stored.events] == ["received"]


def test_codes_run_per_day_and_lookup_code_finds_the_dossier(demo, clock):
    first = demo.reception.receive(birth(), "canbo1")
    second = demo.reception.receive(birth(), "canbo2")
    assert (first.code[-4:], second.code[-4:]) == ("0001", "0002")
    assert second.ledger_number == first.ledger_number + 1
    clock.current = datetime(2026, 11, 30, 8, 0)  # next working day: numbering restarts
    assert demo.reception.receive(birth(), "canbo1").code == "H45.123-261130-0001"
    assert demo.dossiers.get(first.lookup_code.lower().replace("-", " ")).code == first.code


def test_invalid_input_saves_nothing(demo, uow_factory):
    bad = ReceiveCommand(
        procedure_code="1.001193",
        applicant=ApplicantInput(name="", id_number="12345", phone="0123", address="", email="not-an-email"),
        sets=0,
    )
    with pytest.raises(ValidationFailed) as caught:
        demo.reception.receive(bad, "canbo1")
    assert set(caught.value.errors) == {"applicant.name", "applicant.id_number", "applicant.phone",
                                        "applicant.address", "applicant.email", "sets"}
    assert demo.dossiers.count() == 0
    assert outbox_rows(uow_factory) == []
    assert demo.reception.validate(bad) == caught.value.errors


def test_unknown_procedure_and_unknown_clerk(demo):
    with pytest.raises(ValidationFailed) as caught:
        demo.reception.receive(ReceiveCommand(procedure_code="9.999999", applicant=AN), "canbo1")
    assert caught.value.errors == {"procedure": "procedure.unknown"}
    assert "9.999999" in str(caught.value)
    with pytest.raises(NotFound):
        demo.reception.receive(birth(), "nobody")
    assert demo.dossiers.count() == 0


def test_missing_mandatory_component_blocks_receipt_but_not_supplement(demo):
    partial = birth(components=(ComponentInput("Tờ khai đăng ký khai sinh"),))
    with pytest.raises(ValidationFailed) as caught:
        demo.reception.receive(partial, "canbo1")
    assert caught.value.errors == {"components": "components.missing_mandatory"}
    with pytest.raises(ValidationFailed) as caught:
        demo.reception.request_supplement(partial, [], "", "canbo1")
    assert caught.value.errors == {"missing": "missing.required", "reason": "reason.required"}
    view = demo.reception.request_supplement(partial, ["Giấy chứng sinh (bản chính)"], "Thiếu giấy chứng sinh",
                                             "canbo1")
    assert view.status == 5 and view.due_at is None and view.fee == 0
    assert view.missing == ("Giấy chứng sinh (bản chính)",)
    assert view.events[0].data == {"reason": "Thiếu giấy chứng sinh", "missing": ["Giấy chứng sinh (bản chính)"]}


def test_refusal_records_reason(demo):
    view = demo.reception.refuse(ReceiveCommand(procedure_code="1.004873",
                                                applicant=ApplicantInput(name="Trần Thị Bình")),
                                 "Không thuộc thẩm quyền giải quyết của UBND phường", "canbo1")
    assert view.status == 3 and view.reason.startswith("Không thuộc thẩm quyền")


def test_quote_over_tet_2026_explains_the_skipped_days(demo):
    quote = demo.reception.quote(ReceiveCommand(procedure_code="1.004873", received_at=datetime(2026, 2, 13, 10, 0)))
    assert quote.due_at == datetime(2026, 2, 25, 17, 0)
    assert quote.due_explanation.startswith("3 ngày làm việc")
    assert "16–20/02" in quote.due_explanation
    assert quote.fee == 10000


def test_per_page_fee_for_certified_copies(demo):
    cmd = ReceiveCommand(procedure_code="2.000815", applicant=AN, sets=3, pages=5)
    # 2 pages × 2,000 + 3 pages × 1,000 = 7,000 per copy; 3 copies.
    assert demo.reception.quote(cmd).fee == 21000
    with pytest.raises(ValidationFailed) as caught:
        demo.reception.receive(ReceiveCommand(procedure_code="2.000815", applicant=AN), "canbo1")
    assert caught.value.errors == {"pages": "pages.required"}


def test_procedure_search_ignores_diacritics(demo):
    hits = demo.reception.procedures("dang ky khai sinh")
    assert [p.code for p in hits][:2] == ["1.001193", "1.004884"] or "1.001193" in [p.code for p in hits]
    assert {p.code for p in demo.reception.procedures("chung thuc")} == {"2.000815", "2.000884"}
    assert len(demo.reception.procedures("")) == 16


def test_print_log_marks_reprints(demo):
    view = demo.reception.receive(birth(), "canbo1")
    assert demo.prints.record(view.code, "receipt", "canbo1") is False
    assert demo.prints.record(view.code, "receipt", "canbo2") is True
    with pytest.raises(DomainError) as caught:
        demo.prints.record(view.code, "refusal", "canbo1")
    assert caught.value.code == "dossier.no_such_form"
    kinds = [e.kind for e in demo.dossiers.get(view.code).events]
    assert kinds == ["received", "printed", "printed"]
    assert demo.dossiers.get(view.code).status == 2  # printing never changes the status


def test_login(demo):
    assert demo.auth.login("canbo1", "canbo123").full_name == "Nguyễn Thị Lan"
    with pytest.raises(DomainError) as caught:
        demo.auth.login("canbo1", "wrong")
    assert caught.value.code == "auth.invalid_attempts"


def test_backlog_receipt_in_the_past_and_not_in_the_future(demo, clock):
    past = demo.reception.receive(birth(received_at=datetime(2026, 11, 20, 16, 0)), "canbo1")
    assert past.code.startswith("H45.123-261120-")
    assert past.due_at == datetime(2026, 11, 23, 17, 0)  # after 15:00 on Friday → Monday
    with pytest.raises(ValidationFailed) as caught:
        demo.reception.receive(birth(received_at=datetime(2026, 11, 28, 9, 0)), "canbo1")
    assert caught.value.errors == {"received_at": "received_at.future"}


def test_seed_demo_history_never_collides_with_new_codes(services):
    services.setup.seed_demo(dossiers=300)
    assert services.dossiers.count() == 300
    new = services.reception.receive(birth(), "canbo1")
    assert services.dossiers.count() == 301
    assert services.dossiers.get(new.code).id == new.id


def _shown_whole(exc: ValidationFailed) -> None:
    """Each field error carries every value its message names, in both languages."""
    from counter_app.domain.messages import error_text, missing_params

    for path, code in exc.errors.items():
        assert missing_params(code, exc.field_params.get(path, {})) == set(), (path, code)
    for lang in ("vi", "en"):
        text = error_text(exc, lang)
        assert "{" not in text and "}" not in text, text


@pytest.mark.parametrize(("change", "path", "code", "shown"), [
    ({"components": (ComponentInput("Tờ khai đăng ký khai sinh"),)}, "components", "components.missing_mandatory",
     "Thiếu giấy tờ bắt buộc: Giấy chứng sinh hoặc Văn bản của người làm chứng"),
    ({"components": (ComponentInput("Giấy chứng sinh", kind="xerox"),)}, "components", "components.invalid_kind",
     "xerox"),
    ({"applicant": dataclasses.replace(AN, id_number="099190001234")}, "applicant.id_number", "id.unknown_province",
     "Mã tỉnh 099 trong số CCCD"),
    ({"applicant": dataclasses.replace(AN, name="A" * 101)}, "applicant.name", "field.too_long", "tối đa 100 ký tự"),
    ({"applicant": dataclasses.replace(AN, address="x" * 301)}, "applicant.address", "field.too_long",
     "tối đa 300 ký tự"),
    ({"note": "n" * 1001}, "note", "field.too_long", "tối đa 1000 ký tự"),
    ({"procedure_code": "9.999999"}, "procedure", "procedure.unknown", "9.999999"),
])
def test_every_reception_error_names_its_values(demo, change, path, code, shown):
    with pytest.raises(ValidationFailed) as caught:
        demo.reception.receive(dataclasses.replace(birth(), **change), "canbo1")
    assert caught.value.errors[path] == code
    _shown_whole(caught.value)
    from counter_app.domain.messages import error_text

    assert shown in error_text(caught.value, "vi")
    found = demo.reception.check(dataclasses.replace(birth(), **change))  # the inline check says the same
    assert (found.errors[path], found.params[path]) == (code, caught.value.field_params[path])


def test_a_too_long_reason_says_its_limit(demo):
    with pytest.raises(ValidationFailed) as caught:
        demo.reception.refuse(birth(), "r" * 2001, "canbo1")
    _shown_whole(caught.value)
    from counter_app.domain.messages import error_text

    assert error_text(caught.value, "vi") == "Lý do: Quá dài (tối đa 2000 ký tự)"


def test_a_future_birth_year_warns_without_blocking(demo):
    # 2027, "born" next year
    cmd = dataclasses.replace(birth(), applicant=dataclasses.replace(AN, id_number="045227001234"))
    found = demo.reception.check(cmd)
    assert found.errors == {}
    assert found.warnings == {"applicant.id_number": "id.future_birth_year"}
    from counter_app.domain.messages import message

    assert message("id.future_birth_year", "vi", **found.warning_params["applicant.id_number"]) == \
        "Năm sinh 2027 trong số CCCD ở tương lai"
    assert demo.reception.receive(cmd, "canbo1").applicant.id_number == "045227001234"


def test_a_returning_citizen_is_found_by_id_number_newest_first(demo, clock):
    assert demo.reception.returning_applicant("045090001234") is None  # nobody yet
    demo.reception.receive(birth(), "canbo1")
    moved = dataclasses.replace(AN, address="Số 3 Trần Hưng Đạo, Đông Hà", phone="0987000111")
    clock.current = datetime(2026, 11, 27, 10, 0)
    demo.reception.receive(dataclasses.replace(birth(), applicant=moved), "canbo1")
    found = demo.reception.returning_applicant("0450 9000 1234")  # typed with spaces
    assert (found.name, found.phone, found.address, found.email) == (AN.name, "0987000111", moved.address, AN.email)
    assert demo.reception.returning_applicant("12345") is None  # not an ID number
    assert demo.reception.returning_applicant("045090009999") is None


def test_a_fixed_fee_quote_does_not_repeat_its_amount(demo):
    quote = demo.reception.quote(ReceiveCommand(procedure_code="1.004873", applicant=AN))
    assert (quote.fee, quote.fee_explanation) == (10000, "")
    per_page = demo.reception.quote(ReceiveCommand(procedure_code="2.000815", applicant=AN, pages=1))
    assert per_page.fee_explanation == "1 bản × 1 trang: 2.000 đ/bản"  # a computed fee still explains itself
