"""Find and register a TrueType font family that can print Vietnamese.

reportlab's built-in Type 1 fonts have no Vietnamese glyphs, so every form is set
in an embedded TrueType family. Order of search: the configured path, a family
shipped in ``resources/fonts``, then well-known system fonts. A candidate is used
only if it really has the Vietnamese letters (old Liberation builds do not).
"""
from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from counter_app.domain.errors import DomainError

log = logging.getLogger(__name__)

RESOURCE_DIR = Path(__file__).resolve().parents[2] / "resources" / "fonts"

# (regular, bold, italic, bold italic); the first file decides whether a family exists.
SYSTEM_FAMILIES: list[tuple[Path, ...]] = [
    tuple(Path("C:/Windows/Fonts") / n for n in ("times.ttf", "timesbd.ttf", "timesi.ttf", "timesbi.ttf")),
    tuple(
        Path("/Library/Fonts") / n
        for n in ("Times New Roman.ttf", "Times New Roman Bold.ttf", "Times New Roman Italic.ttf",
                  "Times New Roman Bold Italic.ttf")
    ),
    tuple(
        Path("/usr/share/fonts/truetype/liberation") / f"LiberationSerif-{s}.ttf"
        for s in ("Regular", "Bold", "Italic", "BoldItalic")
    ),
    tuple(
        Path("/usr/share/fonts/truetype/dejavu") / f"DejaVuSerif{s}.ttf"
        for s in ("", "-Bold", "-Italic", "-BoldItalic")
    ),
]

# Letters that only a Vietnamese-capable font has (horn, breve + dot, tilde + hook).
VIETNAMESE_PROBE = "ĂăÂâĐđÊêÔôƠơƯưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ"

# Text used to compare a family's width with Times, so a wide font (DejaVu) is set
# smaller and every layout keeps the proportions it was designed with.
_WIDTH_SAMPLE = "Giay tiep nhan ho so va hen tra ket qua 0123456789 NGUOI NOP HO SO"


@dataclass(frozen=True)
class FontSet:
    """Registered reportlab font names of one family, and where it came from."""

    regular: str
    bold: str
    italic: str
    bold_italic: str
    family: str
    source: Path
    scale: float  # multiply a Times point size by this to get the same line width
    files: tuple[Path, ...] = ()  # regular, bold, italic, bold italic actually used


_lock = threading.Lock()
_registered: dict[tuple[Path, ...], FontSet] = {}
_resolved: dict[Path | None, FontSet] = {}
_rejected: set[tuple[Path, ...]] = set()  # families without Vietnamese: don't load them twice


def resolve_font(configured: Path | None = None) -> FontSet:
    """The first usable family: configured → resources/fonts → system fonts.

    Raises ``DomainError("printing.no_font")`` when nothing usable is found.
    Results are cached per process; call ``clear_cache()`` after changing fonts.
    """
    with _lock:
        cached = _resolved.get(configured)
        if cached is not None:
            return cached
        for files in _candidates(configured):
            fontset = _register(files)
            if fontset is not None:
                _resolved[configured] = fontset
                return fontset
    raise DomainError("printing.no_font", dir=str(RESOURCE_DIR))


def clear_cache() -> None:
    """Forget which family was chosen (registered fonts stay registered)."""
    with _lock:
        _resolved.clear()


def _candidates(configured: Path | None) -> list[tuple[Path, ...]]:
    out: list[tuple[Path, ...]] = []
    if configured is not None:
        configured = Path(configured)
        if configured.is_dir():
            out.extend(_families_in_dir(configured))
        elif configured.is_file():
            out.append(_family_from_file(configured))
        else:
            log.warning("configured font %s does not exist; falling back", configured)
    if RESOURCE_DIR.is_dir():
        out.extend(_families_in_dir(RESOURCE_DIR))
    out.extend(SYSTEM_FAMILIES)
    return out


def _style_of(stem: str, stems: set[str]) -> str:
    """Classify a font file name as regular, bold, italic or bold_italic.

    Understands ``Family-BoldItalic`` names and Windows short names (``timesbd``,
    ``timesi``, ``timesbi``: a suffix counts only if the shorter name exists too).
    """
    s = stem.lower()
    short_bi = s.endswith("bi") and s[:-2] in stems
    bold = "bold" in s or short_bi or (s.endswith("bd") and s[:-2] in stems)
    italic = "italic" in s or "oblique" in s or short_bi or (s.endswith("i") and s[:-1] in stems)
    if bold and italic:
        return "bold_italic"
    return "bold" if bold else "italic" if italic else "regular"


def _families_in_dir(folder: Path) -> list[tuple[Path, ...]]:
    """One family per regular file in ``folder``; styles matched by shared name prefix."""
    files = sorted(p for p in folder.iterdir() if p.suffix.lower() == ".ttf" and p.is_file())
    stems = {p.stem.lower() for p in files}
    families = []
    for regular in (p for p in files if _style_of(p.stem, stems) == "regular"):
        base = regular.stem.lower().removesuffix("regular").rstrip("-_ ")
        styles = {"regular": regular}
        for p in files:
            style = _style_of(p.stem, stems)
            if style != "regular" and style not in styles and p.stem.lower().startswith(base):
                styles[style] = p
        families.append(_ordered(styles))
    return families


def _family_from_file(regular: Path) -> tuple[Path, ...]:
    styles = {"regular": regular}
    base = regular.stem.lower().removesuffix("regular").rstrip("-_ ")
    siblings = [p for p in regular.parent.iterdir() if p.suffix.lower() == ".ttf" and p.stem.lower().startswith(base)]
    stems = {p.stem.lower() for p in siblings}
    for p in sorted(siblings):
        styles.setdefault(_style_of(p.stem, stems), p)
    return _ordered(styles)


def _ordered(styles: dict[str, Path]) -> tuple[Path, ...]:
    regular = styles["regular"]
    bold = styles.get("bold", regular)
    italic = styles.get("italic", regular)
    return (regular, bold, italic, styles.get("bold_italic", bold))


def _load(name: str, path: Path) -> TTFont | None:
    try:
        font = TTFont(name, str(path))
    except (OSError, TTFError) as exc:
        log.warning("cannot load font %s: %s", path, exc)
        return None
    missing = [ch for ch in VIETNAMESE_PROBE if ord(ch) not in font.face.charToGlyph]
    if missing:
        log.info("font %s lacks Vietnamese glyphs (%s); skipped", path, "".join(missing[:8]))
        return None
    return font


def _register(files: tuple[Path, ...]) -> FontSet | None:
    """Register the family once per process; None when the regular face is unusable."""
    if not files[0].is_file():
        return None
    key = tuple(p.resolve() for p in files)
    if key in _registered:
        return _registered[key]
    if key in _rejected:
        return None
    family = f"CounterSerif{len(_registered)}"
    names = [f"{family}-{s}" for s in ("Regular", "Bold", "Italic", "BoldItalic")]
    regular = _load(names[0], key[0])
    if regular is None:
        _rejected.add(key)
        return None
    fonts, used = [regular], [key[0]]
    for name, path in zip(names[1:], key[1:], strict=True):
        # A missing or broken style is the regular face under the style's name, so
        # reportlab's family mapping (used by <b>/<i> markup) stays one-to-one.
        font = _load(name, path) if path != key[0] and path.is_file() else None
        fonts.append(font or TTFont(name, str(key[0])))
        used.append(path if font else key[0])
    for font in fonts:
        # reportlab shares one font object per internal face name: a copy of an
        # already registered file reuses it, which prints the same glyphs.
        pdfmetrics.registerFont(font)
    pdfmetrics.registerFontFamily(family, normal=names[0], bold=names[1], italic=names[2], boldItalic=names[3])
    times = pdfmetrics.stringWidth(_WIDTH_SAMPLE, "Times-Roman", 10)
    mine = pdfmetrics.stringWidth(_WIDTH_SAMPLE, names[0], 10)
    regular_name, bold, italic, bold_italic = names
    fontset = FontSet(regular_name, bold, italic, bold_italic, family=family, source=key[0],
                      scale=min(1.0, times / mine), files=tuple(used))
    _registered[key] = fontset
    log.info("printing font: %s (%s)", key[0], family)
    return fontset
