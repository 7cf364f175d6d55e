"""The translators' catalogue: every text of the source is in it, translated, and renders in both languages.

The texts are extracted the way ``make messages`` does (Babel with ``resources/i18n/babel.cfg``),
so a text added to the code without running it, or a translation left empty, fails here; the
shipped ``.mo`` is checked against its ``.po`` as ``qt_vi.qm`` is against ``qt_vi.ts``.
"""
from __future__ import annotations

import gettext
import io
import re
import string
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from catalogue_po import po_path, translations

from counter_app.domain.catalogue import DOMAIN, locale_dir, translate
from counter_app.domain.messages import MESSAGES, message
from counter_app.i18n_extract import extract_ui, has_vietnamese_letters
from counter_app.ui.i18n import set_language, tr

ROOT = Path(__file__).resolve().parent.parent


def extracted() -> set[tuple[str | None, str]]:
    with (locale_dir() / "babel.cfg").open(encoding="utf-8") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    found = set()
    for _file, _line, msgid, _comments, context in extract_from_dir(ROOT, method_map, options_map):
        found.add((context, msgid))
    return found


def test_the_catalogue_holds_exactly_the_texts_of_the_source_each_translated():
    texts, po = extracted(), translations("en")
    assert len(texts) > 1000 and len(MESSAGES) > 300  # the extraction really read the screens and codes
    assert {(code, text) for code, text in MESSAGES.items()} <= texts
    new = sorted(f"{c or ''} {t!r}" for c, t in texts - set(po))
    gone = sorted(f"{c or ''} {t!r}" for c, t in set(po) - texts)
    assert not new, "texts not in the .po yet (run make messages, then translate):\n" + "\n".join(new)
    assert not gone, "entries of the .po no code uses any more (run make messages):\n" + "\n".join(gone)
    untranslated = sorted(f"{c or ''} {t!r}" for (c, t), en in po.items() if not en)
    assert not untranslated, "\n".join(untranslated)
    with po_path().open("rb") as file:
        fuzzy = [m.id for m in read_po(file) if m.id and m.fuzzy]
    assert fuzzy == []  # a guess of msgmerge is never shown to a clerk unchecked


def test_the_shipped_mo_is_the_compiled_po():
    with (locale_dir() / "en" / "LC_MESSAGES" / f"{DOMAIN}.mo").open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    for (context, text_vi), en in translations("en").items():
        shown = compiled.pgettext(context, text_vi) if context else compiled.gettext(text_vi)
        assert shown == en, f"{context} {text_vi!r}: the .mo says {shown!r}, the .po {en!r} (run make messages)"
    assert len(compiled._catalog) - 1 == len(translations("en"))  # and nothing more (the header is entry "")


def _sample(name: str) -> str:
    return f"<{name}>"


def test_every_text_renders_with_its_parameters_in_both_languages():
    formatter = string.Formatter()
    for (context, text_vi), en in translations("en").items():
        names_vi = {name for _, name, _, _ in formatter.parse(text_vi) if name}
        names_en = {name for _, name, _, _ in formatter.parse(en) if name}
        if context is None:  # tr(…).format(…) passes one set of names to either language
            assert names_vi == names_en, f"{text_vi!r} / {en!r}"
        # A code's raiser passes the names of both (template_fields: "status_vi", "status_en").
        params = {name: _sample(name) for name in names_vi | names_en}
        for template, names in ((text_vi, names_vi), (en, names_en)):
            shown = template.format(**params)
            escaped = "".join(literal for literal, *_ in formatter.parse(template))  # {{…}} shown on purpose
            assert len(re.findall(r"[{}]", shown)) == len(re.findall(r"[{}]", escaped)), f"{context} {template!r}"
            assert all(_sample(name) in shown for name in names)
        assert not has_vietnamese_letters(en) or "Mẫu" in text_vi and en.count("Mẫu") == text_vi.count("Mẫu"), en
        assert translate(text_vi, "en", context) == en
        if context:
            assert message(context, "en", **params) == en.format(**params)


def test_tr_reads_the_catalogue_and_follows_the_language(qapp):
    set_language("en")
    try:
        assert tr("Đăng nhập") == "Log in"
        assert tr("Không có trong danh mục") == "Không có trong danh mục"  # no entry: the source text
    finally:
        set_language("vi")
    assert tr("Đăng nhập") == "Đăng nhập"


def test_extraction_skips_docstrings_logs_fstring_pieces_and_marked_data():
    source = '''"""Mô-đun."""
x = tr("Lưu")
y = ("Tên quầy", "Quầy 1")
z = (N_("Tên cơ quan"), "UBND phường Đông Hà")  # i18n: data
log.warning("lỗi %s", x)
w = f"{x} đ"
v = N_("Email")


class A:
    sig = 1
    """Chú thích thuộc tính."""
'''
    found = [text for _line, _func, text, _c in extract_ui(io.BytesIO(source.encode()), [], [], {})]
    assert sorted(found) == sorted(["Lưu", "Tên quầy", "Quầy 1", "Tên cơ quan", "Email"])


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_missing_catalogue_shows_vietnamese_never_a_traceback(lang, tmp_path, monkeypatch):
    from counter_app.domain import catalogue

    monkeypatch.setenv("COUNTER_APP_RESOURCES", str(tmp_path))
    catalogue.translations.cache_clear()
    try:
        assert catalogue.translate("Đăng nhập", lang) == "Đăng nhập"
        assert message("auth.invalid", lang) == "Sai tên đăng nhập hoặc mật khẩu"
    finally:
        monkeypatch.undo()
        catalogue.translations.cache_clear()
