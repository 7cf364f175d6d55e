"""Qt's own file and folder dialogs speak the interface language: Vietnamese from our .qm, English from Qt."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from i18n_helpers import vietnamese_only
from PySide6.QtCore import QTranslator
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QAbstractButton, QComboBox, QLabel, QTreeView, QWidget

from counter_app.ui.file_dialogs import file_dialog
from counter_app.ui.i18n import set_language
from counter_app.ui.qt_translation import qm_path

KINDS = {"open": {}, "save": {"save": True}, "folder": {"folder": True}}
# What the dialog shows that is not interface text: the filter we pass, key names, paths, the files.
NOT_TEXT = re.compile(r"^$|\(\*\.|^(Alt|Ctrl|Shift)\+|^/|^(a\.pdf|sub)$")


def _texts(dialog: QWidget) -> dict[str, str]:
    """where -> text, for every label, button, tooltip, choice, column header and menu action of the dialog."""
    out = {}
    for i, w in enumerate(dialog.findChildren(QWidget)):
        where = f"{type(w).__name__}#{w.objectName() or i}"
        if w.toolTip():
            out[where + ".toolTip"] = w.toolTip()
        if not w.isVisible():
            continue
        if isinstance(w, QLabel | QAbstractButton):
            out[where] = w.text()
        elif isinstance(w, QComboBox) and w.objectName() == "fileTypeCombo":
            out.update({f"{where}[{n}]": w.itemText(n) for n in range(w.count())})
        elif isinstance(w, QTreeView) and w.objectName() == "treeView":
            header = w.header()
            out.update({f"{where}.header[{c}]": str(w.model().headerData(c, header.orientation()))
                        for c in range(header.count()) if not header.isSectionHidden(c)})
    for i, action in enumerate(dialog.findChildren(QAction)):
        if action.text():
            out[f"action#{action.objectName() or i}"] = action.text()
    return {k: v for k, v in out.items() if not NOT_TEXT.search(v)}


def _open(qtbot, tmp_path: Path, kind: str):
    (tmp_path / "a.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "sub").mkdir(exist_ok=True)
    dialog = file_dialog(None, "Tiêu đề", str(tmp_path), "PDF (*.pdf)", **KINDS[kind])
    qtbot.addWidget(dialog)
    dialog.show()
    tree = dialog.findChild(QTreeView, "treeView")
    qtbot.waitUntil(lambda: tree.model().rowCount(tree.rootIndex()) >= 1)
    return dialog


@pytest.mark.parametrize("kind", list(KINDS))
def test_file_dialogs_are_vietnamese_then_english_after_a_switch(qtbot, tmp_path, kind):
    set_language("en")
    english = _texts(_open(qtbot, tmp_path, kind))
    assert {"&Open", "&Save", "&Choose"} & set(english.values()) and "Cancel" in english.values()
    assert "Name" in english.values() and "File &name:" in english.values() or kind == "folder"

    set_language("vi")
    vietnamese = _texts(_open(qtbot, tmp_path, kind))
    assert vietnamese.keys() == english.keys()
    untranslated = {k: v for k, v in vietnamese.items() if v == english[k]}
    assert not untranslated, untranslated  # every text the dialog shows has a Vietnamese entry in the .qm
    assert "Hủy" in vietnamese.values() and "Tên" in vietnamese.values()
    assert {"&Mở", "&Lưu", "&Chọn"} & set(vietnamese.values())
    assert sum(vietnamese_only(v) for v in vietnamese.values()) > len(vietnamese) // 2

    set_language("en")  # and back: the Vietnamese texts are gone
    assert _texts(_open(qtbot, tmp_path, kind)) == english


def test_the_shipped_qm_is_the_compiled_ts_and_translates_every_entry(tmp_path):
    ts = qm_path().with_suffix(".ts")
    lrelease = shutil.which("pyside6-lrelease") or str(Path(sys.executable).with_name("pyside6-lrelease"))
    fresh = tmp_path / "qt_vi.qm"
    subprocess.run([lrelease, "-silent", str(ts), "-qm", str(fresh)], check=True)
    assert fresh.read_bytes() == qm_path().read_bytes(), "run `make qt-translations` after editing qt_vi.ts"
    translator = QTranslator()
    assert translator.load(str(qm_path()))
    entries = 0
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name")
        for message in context.iter("message"):
            source, comment = message.findtext("source"), message.findtext("comment")
            expected = message.findtext("translation")
            assert expected and translator.translate(name, source, comment) == expected, (name, source)
            assert re.findall(r"%\d", source) == re.findall(r"%\d", expected), source
            entries += 1
    assert entries > 60
