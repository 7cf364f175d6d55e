"""The print use case's renderer (``services.printing.RenderForm``): a form's name to its PDF."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..services.printing import PrintSubject
from ..services.views import ClerkView, OfficeView
from . import forms, handover_list, lifecycle_forms

_RENDERERS: dict[str, Callable[..., bytes]] = {
    "receipt": forms.render_receipt,
    "supplement": forms.render_supplement_request,
    "refusal": forms.render_refusal,
    "apology": lifecycle_forms.render_apology,
    "stop": lifecycle_forms.render_stop_notice,
    "control_sheet": lifecycle_forms.render_control_sheet,
    "handover": handover_list.render_handover_list,
}


def render_form(form: str, subject: PrintSubject, office: OfficeView, signer: ClerkView, *,
                paper: str, copies: int, reprint: bool) -> bytes:
    options: Any = forms.PrintOptions(paper=paper, copies=copies, reprint=reprint)
    return _RENDERERS[form](subject, office, signer, options)
