"""Masked list views: ID and phone numbers hidden from roles that do not need them.

Lists and search results are masked unless the viewer holds ``see_personal_data``;
the dossier a clerk opens (``dossiers.get``) stays complete, since they serve that
citizen. Any service returning a list of dossiers passes it through ``for_viewer``.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import TypeVar

from ..domain.permissions import Permission, has_permission
from ..domain.ports import UnitOfWork
from ..domain.privacy import mask_id_number, mask_phone
from .views import DossierView

V = TypeVar("V")


def may_see_personal_data(uow: UnitOfWork, viewer: str) -> bool:
    """False for an unknown viewer: least privilege when nobody is named."""
    user = uow.users.get_by_username((viewer or "").strip().lower()) if viewer else None
    return user is not None and user.active and has_permission(user.role, Permission.SEE_PERSONAL_DATA)


def mask_view(view: V) -> V:
    """A copy of a view with an ``applicant`` (DossierView) whose ID and phone are masked."""
    applicant = getattr(view, "applicant", None)
    if applicant is None:
        return view
    masked = dataclasses.replace(applicant, id_number=mask_id_number(applicant.id_number),
                                 phone=mask_phone(applicant.phone))
    return dataclasses.replace(view, applicant=masked)  # type: ignore[type-var]


def for_viewer(uow: UnitOfWork, viewer: str, views: Iterable[DossierView]) -> list[DossierView]:
    items = list(views)
    return items if may_see_personal_data(uow, viewer) else [mask_view(v) for v in items]
