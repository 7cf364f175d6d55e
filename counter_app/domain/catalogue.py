"""The translators' catalogue at run time: Vietnamese source texts, English from gettext.

Vietnamese is the source language: a text's msgid is its Vietnamese wording, so Vietnamese
needs no catalogue at all and the first screen of a Vietnamese counter reads none. English
comes from ``resources/i18n/en/LC_MESSAGES/counter_app.mo``, compiled from the ``.po``
translators edit (``make messages``), read once on first use with the standard library's
``gettext``. Interface texts have no context; a domain code's text has its code as context
(two codes may share a Vietnamese wording and still read differently in English).
"""
from __future__ import annotations

import gettext
import logging
import os
from functools import cache
from pathlib import Path

log = logging.getLogger(__name__)

DOMAIN = "counter_app"
SOURCE_LANGUAGE = "vi"


def locale_dir() -> Path:
    """resources/i18n, found as ``paths.resources_dir`` finds it (that module is an adapter's)."""
    env = os.environ.get("COUNTER_APP_RESOURCES")
    resources = Path(env) if env else Path(__file__).resolve().parents[2] / "resources"
    return resources / "i18n"


@cache
def translations(lang: str) -> gettext.NullTranslations:
    """The compiled catalogue of ``lang``; the source texts themselves for Vietnamese."""
    if lang == SOURCE_LANGUAGE:
        return gettext.NullTranslations()
    try:
        return gettext.translation(DOMAIN, localedir=locale_dir(), languages=[lang])
    except OSError:  # a broken install shows Vietnamese, never a traceback
        log.warning("no %s catalogue for %r in %s; texts stay Vietnamese", DOMAIN, lang, locale_dir())
        return gettext.NullTranslations()


def translate(text_vi: str, lang: str, context: str | None = None) -> str:
    """``text_vi`` in ``lang`` (itself when the catalogue has no entry for it)."""
    catalogue = translations(lang)
    return catalogue.pgettext(context, text_vi) if context else catalogue.gettext(text_vi)
