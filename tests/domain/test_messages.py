"""Every message code renders whole in both languages, and every raiser passes what its text names.

A ``{placeholder}`` left in a message reached clerks and scripts before ("Thiếu giấy tờ bắt
buộc: {names}"). Two halves keep that from coming back: each template is rendered with
values for the names string.Formatter finds in it, and the source is read (AST) for every
site that raises a code — ``DomainError(code, **params)`` and its subclasses,
``ValidationFailed({field: code}, {field: params})``, ``FieldCheck.error(field, code, **params)``,
``msg(code, …)``/``message(code, …)`` — to check it passes each name its template needs.
Codes chosen at run time (validators' return values) are covered by driving the real
validators and services with bad input (tests/services, tests/ui).
"""
from __future__ import annotations

import ast
import re
import string
from dataclasses import dataclass
from pathlib import Path

import pytest

from counter_app.domain import validators
from counter_app.domain.errors import DomainError, NotFound, ValidationFailed
from counter_app.domain.messages import (
    MESSAGES,
    error_text,
    field_label,
    message,
    missing_params,
    template_fields,
)
from counter_app.domain.messages import template as message_template

PACKAGE = Path(__file__).resolve().parents[2] / "counter_app"
LEFTOVER = re.compile(r"[{}]")


def _sample(name: str) -> str:
    return f"<{name}>"


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_code_renders_with_its_parameters_and_leaves_no_placeholder(lang):
    formatter = string.Formatter()
    assert len(MESSAGES) > 200  # every feature table is merged in
    for code in MESSAGES:
        template = message_template(code, lang)
        parsed = list(formatter.parse(template))
        names = {name for _, name, _, _ in parsed if name}
        literal_braces = len(LEFTOVER.findall("".join(text for text, *_ in parsed)))  # escaped {{…}} on purpose
        params = {name: _sample(name) for name in template_fields(code)}
        strict = template.format(**params)  # KeyError here = a name the template uses but nobody passes
        shown = message(code, lang, **params)
        assert shown == strict, code
        assert len(LEFTOVER.findall(shown)) == literal_braces, f"{code} ({lang}): {shown}"
        for name in names:
            assert _sample(name) in shown, f"{code} ({lang}) drops {name}"


def test_a_forgotten_parameter_never_shows_braces():
    assert message("components.missing_mandatory",
                   "vi") == "Thiếu giấy tờ bắt buộc: …. Hãy in phiếu yêu cầu bổ sung (Mẫu 02)"
    assert missing_params("components.missing_mandatory", {}) == {"names"}


# --- the raising sites -------------------------------------------------------------------------

def _error_classes() -> set[str]:
    """DomainError and every subclass defined in the package (found by reading the source)."""
    names = {"DomainError"}
    trees = [ast.parse(p.read_text(encoding="utf-8")) for p in PACKAGE.rglob("*.py")]
    grew = True
    while grew:
        grew = False
        for tree in trees:
            for node in ast.walk(tree):
                if isinstance(node, ast.ClassDef) and node.name not in names and any(
                    getattr(b, "id", getattr(b, "attr", None)) in names for b in node.bases
                ):
                    names.add(node.name)
                    grew = True
    return names


def _name(func: ast.expr) -> str | None:
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None


def _keywords(call: ast.Call) -> set[str] | None:
    """Keyword names passed, or None when ``**something`` makes them unknowable here."""
    if any(k.arg is None for k in call.keywords):
        return None
    return {k.arg for k in call.keywords if k.arg}


def _dict_keys(node: ast.expr | None) -> set[str] | None:
    if isinstance(node, ast.Dict) and all(isinstance(k, ast.Constant) for k in node.keys):
        return {k.value for k in node.keys}
    if isinstance(node, ast.Call) and _name(node.func) == "dict" and not node.args:
        return _keywords(node)
    return None


def _key(node: ast.expr | None) -> str | None:
    """A field key as written: a literal, or the source of an expression (``key``) to pair sites."""
    if node is None:
        return None
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else f"<{ast.unparse(node)}>"


@dataclass(frozen=True)
class Site:
    where: str
    code: str
    field: str | None  # a ValidationFailed / FieldCheck field key, else None
    passed: frozenset[str] | None  # None: decided at run time (driven by other tests)


def _alternatives(node: ast.expr) -> list[ast.expr]:
    """``a if cond else b`` stands for both a and b."""
    return [*_alternatives(node.body), *_alternatives(node.orelse)] if isinstance(node, ast.IfExp) else [node]


def _field_errors(func: ast.AST, var: str) -> list[tuple[str, str]]:
    """(field key, code) pairs assigned to ``var`` inside ``func``: ``errors[k] = "code"``, literals, setdefault."""
    pairs: list[tuple[str, str]] = []
    for node in ast.walk(func):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Subscript) and _name(target.value) == var:
                    for key in _alternatives(target.slice):
                        pairs += [(_key(key), v.value) for v in _alternatives(node.value)
                                  if isinstance(v, ast.Constant) and isinstance(v.value, str)]
                elif isinstance(target, ast.Name) and target.id == var and isinstance(node.value, ast.Dict):
                    pairs += [(_key(k), v.value) for k, v in zip(node.value.keys, node.value.values, strict=True)
                              if isinstance(v, ast.Constant)]
        elif (isinstance(node, ast.Call) and _name(node.func) == "setdefault"
              and _name(getattr(node.func, "value", None)) == var):
            if len(node.args) == 2 and isinstance(node.args[1], ast.Constant):
                pairs.append((_key(node.args[0]), node.args[1].value))
    return [(k, c) for k, c in pairs if c in MESSAGES or "." in c]


def _sites() -> list[Site]:
    errors = _error_classes() - {"ValidationFailed"}
    sites: list[Site] = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        funcs = [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            where = f"{path.relative_to(PACKAGE)}:{node.lineno}"
            called = _name(node.func)
            literal = node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)
            if called in errors | {"msg", "message"} and literal:
                passed = _keywords(node)
                sites.append(Site(where, node.args[0].value, None, frozenset(passed) if passed is not None else None))
            elif called == "error" and len(node.args) >= 2 and isinstance(node.args[1], ast.Constant):
                passed = _keywords(node)  # FieldCheck.error(field, code, **params)
                sites.append(Site(where, node.args[1].value, _key(node.args[0]),
                                  frozenset(passed) if passed is not None else None))
            elif called == "ValidationFailed" and node.args:
                first = node.args[0]
                if isinstance(first, ast.Dict):
                    pairs = [(_key(k), v.value)
                             for k, v in zip(first.keys, first.values, strict=True) if isinstance(v, ast.Constant)]
                elif isinstance(first, ast.Name):
                    owner = min((f for f in funcs if f.lineno <= node.lineno <= f.end_lineno),
                                key=lambda f: f.end_lineno - f.lineno, default=tree)
                    pairs = _field_errors(owner, first.id)
                else:
                    continue  # errors relayed from elsewhere (a server's answer)
                params = node.args[1] if len(node.args) > 1 else None
                if params is None:
                    given: dict[str, set[str] | None] = {}
                elif isinstance(params, ast.Dict):
                    given = {_key(k): _dict_keys(v) for k, v in zip(params.keys, params.values, strict=True)}
                else:
                    given = None  # computed: cannot be read here
                for field, code in pairs:
                    passed = None if given is None else given.get(field, set())
                    sites.append(Site(where, code, field, frozenset(passed) if passed is not None else None))
    return sites


SITES = _sites()


def _field_keys() -> set[str]:
    """Every literal field key the package raises: in ValidationFailed sites and FieldCheck.error calls."""
    keys = {s.field for s in SITES if s.field}
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and _name(node.func) == "error" and node.args:
                keys.update(k.value for k in _alternatives(node.args[0]) if isinstance(k, ast.Constant))
    return {k for k in keys if isinstance(k, str) and re.fullmatch(r"[a-z_.]+", k)}


def test_the_source_scan_finds_the_raising_sites():
    codes = {s.code for s in SITES}
    # The scan sees each kind of site (a scan that finds nothing would pass everything).
    assert {"components.missing_mandatory", "password.too_short", "procedure.unknown", "dossier.not_found",
            "validation.failed", "field.too_long"} <= codes
    assert len(SITES) > 150


def test_every_raised_code_exists_and_gets_the_parameters_its_text_names():
    # Values computed out of sight (a helper building the params dict) cannot be checked here:
    # pass them at the site, as keywords or a literal dict, so this test sees them.
    unknowable = sorted(f"{s.where} {s.code} [{s.field}]"
                        for s in SITES if s.passed is None and template_fields(s.code))
    assert unknowable == []
    unknown = sorted({f"{s.where} {s.code}" for s in SITES if s.code not in MESSAGES})
    assert unknown == []
    lacking = sorted(f"{s.where} {s.code} [{s.field}] lacks {sorted(template_fields(s.code) - s.passed)}"
                     for s in SITES if s.passed is not None and template_fields(s.code) - s.passed)
    assert lacking == []


def test_every_field_key_raised_has_a_human_label_in_both_languages():
    keys = _field_keys()
    assert {"password", "applicant.name", "components"} <= keys
    unlabelled = sorted(k for k in keys if not field_label(k, "vi") or not field_label(k, "en"))
    assert unlabelled == []


# --- codes chosen at run time: drive the real validators ------------------------------------------

@pytest.mark.parametrize("raw", ["099190001234", "045227001234", "045290001234", "045391001234", "12345"])
def test_each_id_number_problem_comes_with_what_its_message_names(raw):
    from datetime import date

    number, error, warnings = validators.validate_id_number(raw, date(2026, 11, 27))
    codes = [c for c in (error, *warnings) if c]
    assert codes, raw  # each sample is a problem of some kind
    for code in codes:
        params = validators.message_params(code, number)
        assert missing_params(code, params) == set(), code
        for lang in ("vi", "en"):
            assert not LEFTOVER.search(message(code, lang, **params))
    if error == "id.unknown_province":
        assert "099" in message(error, "vi", **validators.message_params(error, number))
    if "id.future_birth_year" in warnings:
        year = str(validators.describe_id(number).birth_year)
        assert year in message("id.future_birth_year", "vi",
                               **validators.message_params("id.future_birth_year", number))


def test_a_too_long_name_says_its_limit():
    name, error = validators.validate_person_name("A" * (validators.NAME_MAX + 1))
    assert error == "field.too_long"
    assert message(error, "vi", **validators.message_params(error, name)) == "Quá dài (tối đa 100 ký tự)"


def test_error_text_names_fields_by_label_and_lists_nested_errors():
    failed = ValidationFailed({"password": "password.too_short", "full_name": "field.required"},
                              {"password": {"min": 8}})
    # no "Mật khẩu: Mật khẩu…"
    assert error_text(failed, "vi") == "Mật khẩu tối thiểu 8 ký tự; Họ và tên: Bắt buộc nhập"
    assert str(failed) == "Password must have at least 8 characters; Full name: Required"
    assert str(ValidationFailed({"note": "field.too_long"},
                                {"note": {"max": 500}})) == "Note: Too long (at most 500 characters)"

    class Batch(DomainError):
        def __init__(self, errors):
            super().__init__("batch.refused", count=len(errors), codes=", ".join(errors))
            self.errors = errors

    batch = Batch({"H45-1": NotFound("dossier.not_found", code="H45-1")})
    assert error_text(batch, "en") == ("Nothing was recorded: 1 dossier(s) cannot take this action (H45-1): "
                                       "No dossier with code H45-1")
    assert error_text(ValueError("boom"), "vi") == message("ui.unexpected", "vi")
