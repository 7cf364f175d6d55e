"""Reception applies a statutory extension and accepts alternative papers (real SQLite, shipped catalogue)."""
from __future__ import annotations

from datetime import datetime

import pytest

from counter_app.domain.changes import decode_dossier, encode_dossier
from counter_app.domain.errors import ValidationFailed
from counter_app.domain.messages import error_text
from counter_app.services.commands import ApplicantInput, ComponentInput, ReceiveCommand

AN = ApplicantInput(name="Nguyễn Văn An", id_number="045090001234", phone="0912345678",
                    address="Số 12 Lê Lợi, Đông Hà, Quảng Trị")
REASON = "Bản chính 40 trang, 10 bản sao"


def copies(**kw) -> ReceiveCommand:
    kw.setdefault("pages", 40)
    return ReceiveCommand(procedure_code="2.000815", applicant=AN, **kw)


def test_the_shipped_catalogue_offers_the_extensions(demo):
    offered = {p: [(e.key, e.days, e.total, e.legal_basis) for e in demo.reception.procedure(p).extensions]
               for p in ("2.000815", "1.000656", "1.004859", "1.001022", "1.004873")}
    assert offered["2.000815"] == [("many_papers", 2, False, "Nghị định 23/2015/NĐ-CP, Điều 7")]
    assert offered["1.000656"] == [("verification", 3, True, "Luật Hộ tịch 2014, Điều 34")]
    assert offered["1.004859"][0][1:3] == (3, False) and offered["1.001022"][0][1:3] == (5, False)
    assert offered["1.004873"][0][0] == "verification"


def test_receive_with_the_extension_moves_the_due_date_and_records_it(demo, uow_factory):
    plain = demo.reception.receive(copies(), "canbo1")
    assert plain.due_at == datetime(2026, 11, 27, 17, 0) and plain.statutory_extension is None
    view = demo.reception.receive(copies(extension="many_papers", extension_reason=f"  {REASON} "), "canbo1")
    # Friday 27/11/2026, same day + 2 working days: Mon 30/11, Tue 1/12.
    assert view.due_at == datetime(2026, 12, 1, 17, 0)
    assert view.current_due_at == view.statutory_due_at == datetime(2026, 12, 1, 17, 0)  # not a Mẫu 04 extension
    ext = view.statutory_extension
    assert (ext.key, ext.days, ext.reason, ext.legal_basis) == ("many_papers", 2, REASON,
                                                                "Nghị định 23/2015/NĐ-CP, Điều 7")
    assert "cộng 2 ngày làm việc" in view.due_explanation
    # The timeline: the reception event carries it.
    assert view.events[0].data["statutory_extension"]["reason"] == REASON
    # Stored and read back from the file.
    again = demo.dossiers.get(view.code)
    assert again.statutory_extension == ext and again.due_at == view.due_at
    # And queued upstream as part of the dossier.
    with uow_factory() as uow:
        upserts = [r for r in uow.outbox.pending(100) if r.kind == "dossier.upsert" and r.entity_id == view.id]
    assert upserts[0].payload["statutory_extension"]["days"] == 2


def test_the_clerk_may_apply_fewer_days_and_the_quote_shows_it(demo):
    quote = demo.reception.quote(copies(extension="many_papers", extension_days=1))
    assert quote.due_at == datetime(2026, 11, 30, 17, 0)  # shown while the reason is still to be typed
    view = demo.reception.receive(copies(extension="many_papers", extension_days=1, extension_reason=REASON), "canbo1")
    assert view.due_at == datetime(2026, 11, 30, 17, 0) and view.statutory_extension.days == 1


def test_death_registration_verification_sets_the_limit_to_three_working_days(demo):
    cmd = ReceiveCommand(procedure_code="1.000656", applicant=AN, extension="verification",
                         extension_reason="Cần xác minh nơi cư trú cuối cùng")
    view = demo.reception.receive(cmd, "canbo1")
    assert view.due_at == datetime(2026, 12, 2, 17, 0)  # Mon 30/11, Tue 1/12, Wed 2/12
    assert "tối đa 3 ngày làm việc (cần xác minh; Luật Hộ tịch 2014, Điều 34)" in view.due_explanation


@pytest.mark.parametrize(("change", "path", "code", "vi", "en"), [
    ({"extension": "nope", "extension_reason": REASON}, "extension", "extension.unknown", "nope", "nope"),
    ({"extension": "many_papers", "extension_days": 3, "extension_reason": REASON}, "extension",
     "extension.days_invalid", "từ 1 đến 2", "between 1 and 2"),
    ({"extension": "many_papers", "extension_days": 0, "extension_reason": REASON}, "extension",
     "extension.days_invalid", "từ 1 đến 2", "between 1 and 2"),
    ({"extension": "many_papers", "extension_reason": "   "}, "extension_reason", "extension.reason_required",
     "lý do gia hạn", "reason for the extension"),
    ({"extension": "many_papers", "extension_reason": "x" * 501}, "extension_reason", "field.too_long", "500", "500"),
])
def test_a_wrong_extension_is_refused_with_a_clear_message_and_nothing_saved(demo, change, path, code, vi, en):
    with pytest.raises(ValidationFailed) as exc:
        demo.reception.receive(copies(**change), "canbo1")
    assert exc.value.errors[path] == code
    for lang, expected in (("vi", vi), ("en", en)):
        text = error_text(exc.value, lang)
        assert expected in text and "{" not in text, text
    assert demo.dossiers.count() == 0


def test_supplement_and_refusal_ignore_an_extension(demo):
    view = demo.reception.request_supplement(copies(extension="many_papers"), ["Bản chính"], "Thiếu bản chính",
                                             "canbo1")
    assert view.statutory_extension is None and view.due_at is None


def test_birth_registration_accepts_a_commitment_instead_of_the_birth_certificate(demo):
    papers = (ComponentInput("Tờ khai đăng ký khai sinh"), ComponentInput("Giấy cam đoan về việc sinh"))
    view = demo.reception.receive(ReceiveCommand(procedure_code="1.001193", applicant=AN, components=papers), "canbo1")
    assert [c.name for c in view.components] == ["Tờ khai đăng ký khai sinh", "Giấy cam đoan về việc sinh"]
    witness = (ComponentInput("Tờ khai đăng ký khai sinh"),
               ComponentInput("Văn bản của người làm chứng xác nhận về việc sinh"))
    assert demo.reception.validate(ReceiveCommand(procedure_code="1.001193", applicant=AN, components=witness)) == {}


def test_birth_registration_without_any_of_the_papers_names_the_group(demo):
    cmd = ReceiveCommand(procedure_code="1.001193", applicant=AN,
                         components=(ComponentInput("Tờ khai đăng ký khai sinh"),))
    with pytest.raises(ValidationFailed) as exc:
        demo.reception.receive(cmd, "canbo1")
    assert exc.value.field_params["components"]["names"] == (
        "Giấy chứng sinh hoặc Văn bản của người làm chứng xác nhận về việc sinh hoặc Giấy cam đoan về việc sinh")
    alternatives = demo.reception.procedure("1.001193").components[1]
    assert [a.name for a in alternatives.alternatives] == [
        "Văn bản của người làm chứng xác nhận về việc sinh", "Giấy cam đoan về việc sinh"]
    assert "Điều 16" in alternatives.alternatives_basis


def test_the_sync_codec_carries_the_extension_and_decodes_an_older_payload(demo, uow_factory):
    view = demo.reception.receive(copies(extension="many_papers", extension_reason=REASON), "canbo1")
    with uow_factory() as uow:
        dossier = uow.dossiers.get(view.id)
    payload = encode_dossier(dossier)
    assert decode_dossier(payload) == dossier
    older = {k: v for k, v in payload.items() if k != "statutory_extension"}  # a counter not yet updated
    decoded = decode_dossier(older)
    assert decoded.statutory_extension is None and decoded.due_at == dossier.due_at


def test_publishing_keeps_and_changes_extensions_and_a_bad_one_is_refused(demo, clock):
    from datetime import timedelta

    from counter_app.domain.errors import DomainError

    start = clock.current.date() + timedelta(days=1)
    kept = demo.catalog.publish("2.000815", {"duration": 0}, effective_from=start, version="Dữ liệu mẫu (demo) 2",
                                actor="admin")
    assert [e.key for e in kept.extensions] == ["many_papers"]
    rule = {"key": "many_papers", "label": "nhiều bản sao", "label_en": "many copies", "max_days": 1,
            "legal_basis": "Nghị định 23/2015/NĐ-CP, Điều 7"}
    changed = demo.catalog.publish("2.000815", {"extensions": [rule]}, effective_from=start + timedelta(days=1),
                                   version="Dữ liệu mẫu (demo) 3", actor="admin")
    assert changed.extensions[0].max_days == 1
    with pytest.raises((ValidationFailed, DomainError)):
        demo.catalog.publish("2.000815", {"extensions": [{**rule, "legal_basis": ""}]},
                             effective_from=start + timedelta(days=2),
                             version="Dữ liệu mẫu (demo) 4", actor="admin")
    assert [v.version for v in demo.catalog.versions("2.000815")][-1] == "Dữ liệu mẫu (demo) 3"


def test_importing_a_catalogue_file_with_a_nameless_alternative_says_which_procedure(demo):
    from counter_app.domain.errors import DomainError

    bad = '{"procedures": [{"code": "9.000001", "name": "Thử", "duration": 1, "counting_mode": "working_days", ' \
          '"components": [{"name": "A", "alternatives": [{"kind": "copy"}]}]}]}'
    with pytest.raises(DomainError) as exc:
        demo.catalog.import_text(bad)
    assert exc.value.code == "catalog.invalid_file" and "procedure #1: components" in error_text(exc.value, "en")
