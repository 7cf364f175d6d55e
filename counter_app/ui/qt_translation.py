"""Qt's own texts (file and folder dialogs, standard buttons, the line-edit menu) in Vietnamese.

Qt ships no qtbase_vi.qm, so ``resources/i18n/qt_vi.ts`` holds the texts those dialogs
show and ``qt_vi.qm`` is its compiled form (``make qt-translations``). A plain
QTranslator loads it: a Python subclass overriding ``translate()`` is called from Qt's
file-info thread and loses references under PySide6 (a crash at exit).
"""
from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QCoreApplication, QTranslator

from ..paths import resources_dir

log = logging.getLogger(__name__)

_loaded: dict[int, Any] = {}  # id(application) -> its translator, kept alive with it


def qm_path() -> Any:
    return resources_dir() / "i18n" / "qt_vi.qm"


def apply_qt_language(lang: str) -> None:
    """Install the Vietnamese Qt texts for "vi", remove them for any other language."""
    app = QCoreApplication.instance()
    if app is None:
        return
    translator = _loaded.get(id(app))
    if lang != "vi":
        if translator is not None:
            app.removeTranslator(translator)
        return
    if translator is None:
        translator = QTranslator(app)  # a child of the application: lives exactly as long
        if not translator.load(str(qm_path())):
            log.warning("Qt's Vietnamese texts not found at %s; file dialogs stay in English", qm_path())
            return
        _loaded.clear()  # a translator of an earlier application went with it
        _loaded[id(app)] = translator
    app.removeTranslator(translator)  # installing twice would only reorder; keep one
    app.installTranslator(translator)
