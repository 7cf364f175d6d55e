"""The date a Qt date field holds, as a ``datetime.date``."""
from __future__ import annotations

from datetime import date
from typing import cast

from PySide6.QtWidgets import QDateEdit


def picked_date(edit: QDateEdit) -> date:
    # QDate.toPython() returns a datetime.date; PySide6's stubs type it as object.
    return cast(date, edit.date().toPython())
