"""Font resolution: configured path → resources/fonts → system fonts → a clear error."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from catalogue_po import english
from print_helpers import CLERK, OFFICE, PRINTED_AT, make_dossier, pdf_text, save
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from counter_app.domain.errors import DomainError
from counter_app.domain.messages import MESSAGES, message
from counter_app.printing import fonts
from counter_app.printing.forms import PrintOptions, render_receipt


@pytest.fixture(autouse=True)
def fresh_choice():
    fonts.clear_cache()
    yield
    fonts.clear_cache()


def _system_family() -> tuple[Path, ...]:
    """A Vietnamese-capable family installed on this machine, as the resolver sees it."""
    chosen = fonts.resolve_font()
    fonts.clear_cache()
    for family in fonts.SYSTEM_FAMILIES:
        if family[0].resolve() == chosen.source:
            return family
    pytest.skip("the font in use does not come from the system list")


def test_default_font_has_vietnamese_glyphs_and_is_cached() -> None:
    first = fonts.resolve_font()
    assert fonts.resolve_font() is first
    face = pdfmetrics.getFont(first.regular).face
    assert all(ord(ch) in face.charToGlyph for ch in "Nguyễn Thị Hồng Nhung Đông Hà ưởợỹ")
    assert len({first.regular, first.bold, first.italic, first.bold_italic}) == 4
    assert 0.5 < first.scale <= 1.0


def test_missing_configured_path_falls_back(tmp_path: Path) -> None:
    default = fonts.resolve_font()
    fonts.clear_cache()
    assert fonts.resolve_font(tmp_path / "nope" / "times.ttf").source == default.source


def test_configured_folder_is_used_first(tmp_path: Path) -> None:
    family = _system_family()
    folder = tmp_path / "myfont"
    folder.mkdir()
    names = ["Serif-Regular.ttf", "Serif-Bold.ttf", "Serif-Italic.ttf", "Serif-BoldItalic.ttf"]
    for src, name in zip(family, names, strict=True):
        shutil.copy(src, folder / name)
    chosen = fonts.resolve_font(folder)
    assert chosen.source == (folder / "Serif-Regular.ttf").resolve()
    assert chosen.files == tuple((folder / n).resolve() for n in names)


def test_configured_file_with_windows_style_names(tmp_path: Path) -> None:
    family = _system_family()
    for src, name in zip(family, ["times.ttf", "timesbd.ttf", "timesi.ttf", "timesbi.ttf"], strict=True):
        shutil.copy(src, tmp_path / name)
    chosen = fonts.resolve_font(tmp_path / "times.ttf")
    assert chosen.source == (tmp_path / "times.ttf").resolve()
    assert [p.name for p in chosen.files] == ["times.ttf", "timesbd.ttf", "timesi.ttf", "timesbi.ttf"]


def test_resources_folder_comes_before_system_fonts(tmp_path: Path, monkeypatch) -> None:
    family = _system_family()
    shutil.copy(family[0], tmp_path / "Shipped-Regular.ttf")  # regular only: styles fall back to it
    monkeypatch.setattr(fonts, "RESOURCE_DIR", tmp_path)
    chosen = fonts.resolve_font()
    assert chosen.source == (tmp_path / "Shipped-Regular.ttf").resolve()
    assert [p.name for p in chosen.files] == ["Shipped-Regular.ttf"] * 4
    data = render_receipt(make_dossier(), OFFICE, CLERK, PrintOptions(copies=1, printed_at=PRINTED_AT))
    assert "Nguyễn Thị Hồng Nhung" in pdf_text(save(data, tmp_path))


def test_broken_or_non_vietnamese_font_is_skipped(tmp_path: Path) -> None:
    bogus = tmp_path / "broken.ttf"
    bogus.write_bytes(b"not a font at all")
    default = fonts.resolve_font()
    fonts.clear_cache()
    assert fonts.resolve_font(bogus).source == default.source
    liberation = Path("/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf")
    if liberation.is_file():
        lacks = ord("ư") not in TTFont("probe", str(liberation)).face.charToGlyph
        fonts.clear_cache()
        chosen = fonts.resolve_font(liberation)
        assert (chosen.source != liberation.resolve()) == lacks  # only used if it can print "ư"


def test_no_font_anywhere_raises_a_clear_error(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(fonts, "RESOURCE_DIR", tmp_path / "empty")
    monkeypatch.setattr(fonts, "SYSTEM_FAMILIES", [])
    with pytest.raises(DomainError) as err:
        fonts.resolve_font(tmp_path / "missing.ttf")
    assert err.value.code == "printing.no_font"
    with pytest.raises(DomainError) as err:
        render_receipt(make_dossier(), OFFICE, CLERK, PrintOptions())
    assert err.value.code == "printing.no_font"
    text = message("printing.no_font", "vi", **err.value.params)
    assert "phông chữ" in text and str(tmp_path / "empty") in text


def test_printing_messages_exist_in_both_languages() -> None:
    for code in ("printing.no_font", "printing.invalid_paper", "printing.invalid_copies"):
        assert MESSAGES[code] and english(MESSAGES[code], context=code)
        assert message(code, "en") != message(code, "vi")
