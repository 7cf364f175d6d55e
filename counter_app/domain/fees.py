"""Fee rules of the procedure catalogue (amounts in VND, whole đồng).

Rules are data (from the catalogue JSON): ``{"kind": "fixed", "amount": 10000,
"per": "case"|"copy"}``, ``{"kind": "per_page", "steps": [[1, 2, 2000], [3, null,
1000]], "cap": 200000, "per": "copy"}``, ``{"kind": "free"}``,
``{"kind": "free_if_on_time", "amount": 5000}`` (free when the citizen registers
within the legal time, e.g. birth within 60 days; otherwise ``amount``).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .errors import DomainError


@dataclass(frozen=True)
class FeeInput:
    copies: int = 1  # number of copies / sets the fee is charged per
    pages: int | None = None  # pages per copy, for per-page rules
    late: bool = False  # for "free if on time" rules: the citizen is past the legal time


@dataclass(frozen=True)
class FeeQuote:
    amount: int
    # Structured explanation: (code, params) so the UI/CLI render it in their language.
    code: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class PageStep:
    first: int
    last: int | None  # None = no upper bound
    price: int


@dataclass(frozen=True)
class FeeRule:
    kind: str  # fixed | per_page | free | free_if_on_time
    amount: int = 0
    per: str = "case"  # case | copy
    steps: tuple[PageStep, ...] = ()
    cap: int | None = None
    note: str = ""

    @staticmethod
    def from_dict(data: dict[str, Any]) -> FeeRule:
        kind = data.get("kind", "free")
        if kind not in {"fixed", "per_page", "free", "free_if_on_time"}:
            raise DomainError("catalog.fee.unknown_kind", kind=kind)
        steps = tuple(PageStep(int(a), None if b is None else int(b), int(p)) for a, b, p in data.get("steps", []))
        if kind == "per_page" and not steps:
            raise DomainError("catalog.fee.no_steps")
        return FeeRule(
            kind=kind,
            amount=int(data.get("amount", 0)),
            per=data.get("per", "case"),
            steps=steps,
            cap=None if data.get("cap") is None else int(data["cap"]),
            note=data.get("note", ""),
        )

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind}
        if self.amount:
            out["amount"] = self.amount
        if self.per != "case":
            out["per"] = self.per
        if self.steps:
            out["steps"] = [[s.first, s.last, s.price] for s in self.steps]
        if self.cap is not None:
            out["cap"] = self.cap
        if self.note:
            out["note"] = self.note
        return out

    def quote(self, given: FeeInput) -> FeeQuote:
        copies = max(1, given.copies)
        if self.kind == "free":
            return FeeQuote(0, "fee.free")
        if self.kind == "free_if_on_time":
            if not given.late:
                return FeeQuote(0, "fee.free_on_time")
            return FeeQuote(self.amount, "fee.late", {"amount": self.amount})
        if self.kind == "fixed":
            if self.per == "copy":
                return FeeQuote(self.amount * copies, "fee.fixed_per_copy", {"amount": self.amount, "copies": copies})
            return FeeQuote(self.amount, "fee.fixed", {"amount": self.amount})
        pages = given.pages or 1
        per_copy = self.page_price(pages)
        total = per_copy * (copies if self.per == "copy" else 1)
        return FeeQuote(total, "fee.per_page",
                        {"pages": pages, "copies": copies, "per_copy": per_copy, "amount": total})

    def page_price(self, pages: int) -> int:
        """Price of one copy of ``pages`` pages, stepped and capped."""
        total = 0
        for page in range(1, pages + 1):
            for step in self.steps:
                if page >= step.first and (step.last is None or page <= step.last):
                    total += step.price
                    break
        if self.cap is not None:
            total = min(total, self.cap)
        return total
