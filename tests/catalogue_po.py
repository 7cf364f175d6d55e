"""The translators' English catalogue as written (the .po), for tests that check it is complete."""
from __future__ import annotations

from functools import cache
from pathlib import Path

from babel.messages.pofile import read_po

from counter_app.domain.catalogue import DOMAIN, locale_dir


def po_path(lang: str = "en") -> Path:
    return locale_dir() / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def translations(lang: str = "en") -> dict[tuple[str | None, str], str]:
    """(context, Vietnamese msgid) -> translation, for every entry that is not obsolete."""
    with po_path(lang).open("rb") as po:
        catalog = read_po(po)
    return {(m.context, m.id): m.string for m in catalog if m.id}


def english(text_vi: str, context: str | None = None) -> str:
    """The .po's English for a text ("" when it has none)."""
    return translations("en").get((context, text_vi), "")


def interface_english() -> dict[str, str]:
    """Vietnamese interface text -> its English (the entries without a context)."""
    return {vi: en for (context, vi), en in translations("en").items() if context is None and en}
