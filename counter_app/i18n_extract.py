"""Babel extractors: which texts of the source go to the translators' catalogue (``make messages``).

Vietnamese is the source language, so a text's msgid is its Vietnamese wording and the code
keeps reading as the clerk sees it. Two shapes of source hold texts:

- ``domain/messages*.py``: ``MESSAGES = {"code": "Vietnamese text", …}``, shared with the
  command line. Each entry becomes msgid = the text, msgctxt = the code: two codes with the
  same Vietnamese wording may still need different English, and a translator sees the code.
- ``ui/``: every ``tr("…")`` and ``N_("…")`` literal, and every other string literal with
  Vietnamese letters (the screens build widgets from tables of Vietnamese literals that are
  translated when shown). Docstrings and log calls are not interface texts, nor are the
  unmarked literals of a line ending ``# i18n: data`` (sample data, texts that come with
  their own English): there only ``tr``/``N_`` literals count.

Standard library only: Babel imports these functions by name (``resources/i18n/babel.cfg``).
"""
from __future__ import annotations

import ast
import unicodedata
from collections.abc import Collection, Iterator, Mapping
from typing import IO, Any

DATA_MARK = "# i18n: data"
_MARKERS = {"tr", "N_"}
_LOGGERS = {"log", "logger", "logging"}

Extracted = tuple[int, str | None, str | tuple[str, str], list[str]]


def has_vietnamese_letters(text: str) -> bool:
    """True when ``text`` has a letter English never uses: đ, ă, â, ê, ô, ơ, ư or a tone mark."""
    for ch in text:
        if ch in "đĐ" or any(unicodedata.category(c) == "Mn" for c in unicodedata.normalize("NFD", ch)):
            return True
    return False


def _parse(fileobj: IO[bytes]) -> tuple[ast.Module, list[str]]:
    source = fileobj.read().decode("utf-8")
    return ast.parse(source), source.splitlines()


def extract_messages(fileobj: IO[bytes], keywords: Collection[str], comment_tags: Collection[str],
                     options: Mapping[str, Any]) -> Iterator[Extracted]:
    """Each ``"code": "text"`` of a module's ``MESSAGES`` table, with the code as its context."""
    tree, _lines = _parse(fileobj)
    for node in tree.body:
        target: ast.expr
        if isinstance(node, ast.AnnAssign):
            target, table = node.target, node.value
        elif isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, table = node.targets[0], node.value
        else:
            continue
        if not (isinstance(target, ast.Name) and target.id == "MESSAGES" and isinstance(table, ast.Dict)):
            continue
        for key, value in zip(table.keys, table.values, strict=True):
            if (isinstance(key, ast.Constant) and isinstance(key.value, str)
                    and isinstance(value, ast.Constant) and isinstance(value.value, str)):
                yield value.lineno, "pgettext", (key.value, value.value), []


def _not_texts(tree: ast.Module) -> set[int]:
    """ids of the string nodes that are docstrings (of modules, classes, functions, attributes),
    pieces of f-strings or inside a log call."""
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):  # a docstring, never shown
            skip.add(id(node.value))
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name) and node.func.value.id in _LOGGERS):
            skip.update(id(inner) for inner in ast.walk(node))
        if isinstance(node, ast.JoinedStr):  # an f-string's pieces are not texts of their own
            skip.update(id(part) for part in node.values)
    return skip


def _marked(tree: ast.Module) -> set[int]:
    """ids of the literals passed to tr() or N_() (texts even without a Vietnamese letter)."""
    return {id(node.args[0]) for node in ast.walk(tree)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in _MARKERS
            and node.args and isinstance(node.args[0], ast.Constant)}


def extract_ui(fileobj: IO[bytes], keywords: Collection[str], comment_tags: Collection[str],
               options: Mapping[str, Any]) -> Iterator[Extracted]:
    """The interface texts of one module of ``ui/`` (see the module's docstring for the rule)."""
    tree, lines = _parse(fileobj)
    skip, marked = _not_texts(tree), _marked(tree)
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.strip()):
            continue
        if id(node) in skip:
            continue
        if id(node) in marked or (has_vietnamese_letters(node.value) and DATA_MARK not in lines[node.lineno - 1]):
            yield node.lineno, None, node.value, []
