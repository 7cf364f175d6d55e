"""``python main.py office units [--json]``: the organisation tree this office knows.

A script handing dossiers over needs the department codes ``dossier handover --to`` accepts;
``handover_target`` says which units those are (valid today and not this office). Closed
units stay listed (old dossiers refer to them) with their ``valid_to``.
"""
from __future__ import annotations

import argparse
from datetime import date

_COLUMNS = ("CODE", "NAME", "LEVEL", "PARENT", "VALID FROM", "VALID TO", "STATUS")


def register(groups: dict, common: argparse.ArgumentParser, parser_class: type) -> None:
    office = groups["root"].add_parser("office", parents=[common], help="this office and its organisation tree")
    sub = office.add_subparsers(dest="office_action", required=True, parser_class=parser_class)
    units = sub.add_parser("units", parents=[common],
                           help="the organisation units: codes, names, levels, parents, validity "
                           "(the codes `dossier handover --to` takes are marked)")
    units.add_argument("--json", action="store_true", help="JSON instead of a table")


def dispatch(args: argparse.Namespace) -> int | None:
    if args.command != "office":
        return None
    from .cli import _emit, _services

    services = _services(args)
    own_code = services.office.office().code  # "No office is set up" before anything else
    handover_codes = {a.code for a in services.lifecycle.departments()}
    rows = [_row(unit, depth, own_code, handover_codes) for unit, depth in _tree(services.admin.org_units())]
    if args.json:
        _emit({"office": own_code, "units": rows})
    else:
        _print_table(rows)
    return 0


def _tree(units: list) -> list[tuple[object, int]]:
    """Parents before their children, siblings by code; a unit whose parent is not listed is a root."""
    codes = {u.code for u in units}
    children: dict[str, list] = {}
    for unit in units:
        children.setdefault(unit.parent_code if unit.parent_code in codes else "", []).append(unit)
    ordered: list[tuple[object, int]] = []

    def walk(parent: str, depth: int) -> None:
        for unit in sorted(children.get(parent, ()), key=lambda u: u.code):
            ordered.append((unit, depth))
            if unit.code != parent:  # a unit naming itself as parent must not loop
                walk(unit.code, depth + 1)

    walk("", 0)
    return ordered


def _row(unit, depth: int, own_code: str, handover_codes: set[str]) -> dict:
    return {"code": unit.code, "name": unit.name, "level": unit.level, "parent_code": unit.parent_code or None,
            "depth": depth, "valid_from": _iso(unit.valid_from), "valid_to": _iso(unit.valid_to),
            "current": unit.current, "this_office": unit.code == own_code,
            "handover_target": unit.code in handover_codes}


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _status(row: dict) -> str:
    if row["this_office"]:
        return "this office"
    if row["handover_target"]:
        return "handover --to"
    return "current" if row["current"] else "not valid today"


def _print_table(rows: list[dict]) -> None:
    lines = [_COLUMNS] + [("  " * r["depth"] + r["code"], r["name"], r["level"], r["parent_code"] or "-",
                           r["valid_from"] or "-", r["valid_to"] or "-", _status(r)) for r in rows]
    widths = [max(len(line[i]) for line in lines) for i in range(len(_COLUMNS))]
    from .cli_output import write_out

    text = "".join("  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip() + "\n"
                   for line in lines)
    write_out(text + ("" if rows else "(no organisation units)\n"))
