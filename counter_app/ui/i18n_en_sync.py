"""English texts of the sync screens, keyed by the Vietnamese source text; merged into i18n_en.EN."""
from __future__ import annotations

EN: dict[str, str] = {
}
