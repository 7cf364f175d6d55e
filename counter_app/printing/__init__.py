"""Printed forms (reportlab PDFs with an embedded Vietnamese font and Code 128 barcodes)."""
from .forms import (
    PrintOptions,
    render_receipt,
    render_refusal,
    render_supplement_request,
    write_pdf,
)

__all__ = ["PrintOptions", "render_receipt", "render_refusal", "render_supplement_request", "write_pdf"]
