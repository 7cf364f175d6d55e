"""Seed the working calendar with Vietnam's holidays (an adapter over ``holidays``).

The ``holidays`` package knows the Labour Code holidays, observed days (nghỉ bù)
and the announced public-sector swaps with their working Saturdays (làm bù). It
only knows what was announced before its release, so ``EXTRAS`` adds entries from
documents it may lack, each with its source; an administrator edits the rest.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

import holidays

from counter_app.domain.calendar import CalendarEntry, DayKind, EntryOrigin

SOURCE = f"holidays {holidays.__version__}"
# The rule the package applies for each day, written after its version in ``source``.
RULE_LABOUR_CODE = "Bộ luật Lao động 2019, Điều 112"
RULE_CULTURE_DAY = "Nghị quyết 80-NQ/TW (Ngày Văn hóa Việt Nam 24/11)"
RULE_SWAP = "hoán đổi ngày làm việc đã được Chính phủ công bố"
# Resolution 80-NQ/TW names 24/11 Vietnam Culture Day and the package counts it as a paid
# holiday from 2026; whether the Labour Code (Art. 112) was amended to match is disputed,
# so the entry says so and an administrator decides whether to keep it on.
CULTURE_DAY_NOTE = (
    "Đang có tranh luận: Nghị quyết 80-NQ/TW đặt Ngày Văn hóa Việt Nam 24/11, nhưng chưa rõ Bộ luật "
    "Lao động (Điều 112) đã được sửa để đây là ngày nghỉ lễ hưởng lương. Quản trị viên có thể tắt mục này "
    "(kèm lý do) nếu cơ quan không nghỉ."
)

_WEEKDAYS_VI = ("thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật")

# Fallback names when the installed package has no Vietnamese translation: its
# en_US names mapped to the wording of the Labour Code / government notices.
NAMES_VI: dict[str, str] = {
    "New Year's Day": "Tết Dương lịch",
    "Lunar New Year's Eve": "Giao thừa Tết Nguyên đán",
    "Lunar New Year": "Tết Nguyên đán",
    "Second Day of Lunar New Year": "Mùng hai Tết Nguyên đán",
    "Third Day of Lunar New Year": "Mùng ba Tết Nguyên đán",
    "Fourth Day of Lunar New Year": "Mùng bốn Tết Nguyên đán",
    "Fifth Day of Lunar New Year": "Mùng năm Tết Nguyên đán",
    "Sixth Day of Lunar New Year": "Mùng sáu Tết Nguyên đán",
    "29 of Lunar New Year": "29 Tết Nguyên đán",
    "Hung Kings' Commemoration Day": "Ngày Giỗ Tổ Hùng Vương",
    "Liberation Day/Reunification Day": "Ngày Chiến thắng",
    "International Labor Day": "Ngày Quốc tế Lao động",
    "National Day": "Quốc khánh",
    "Vietnam Cultural Day": "Ngày Văn hóa Việt Nam",
}

# Label markers in the package's vi and en_US translations.
_SUBSTITUTED = re.compile(r"(?:thay cho ngày|substituted from) (\d{2})/(\d{2})/(\d{4})")
_OBSERVED = re.compile(r"\s*\((?:nghỉ bù|observed)(?:, (?:dự kiến|estimated))?\)\s*$")
_ESTIMATED = re.compile(r"\s*\((?:dự kiến|estimated)\)\s*$")

_TET_2026 = "Thông báo nghỉ Tết Âm lịch 2026 của cán bộ, công chức, viên chức (Bộ Nội vụ): nghỉ 14/02–22/02/2026"
_NEW_YEAR_2026 = ("Công văn 12729/VPCP-KGVX ngày 25/12/2025 của Văn phòng Chính phủ: nghỉ thứ Sáu 02/01/2026, "
                  "làm bù thứ Bảy 10/01/2026")
_HUNG_2026 = "Bộ luật Lao động 2019, Điều 112: Giỗ Tổ 26/04/2026 rơi vào Chủ nhật, nghỉ bù thứ Hai 27/04/2026"

# Public-sector days off announced for civil servants (domain.md §7), kept even if a
# future package drops or renames them. Extend here or through the admin screen.
_A = EntryOrigin.ANNOUNCEMENT
EXTRAS: tuple[CalendarEntry, ...] = (
    CalendarEntry(date(2026, 1, 2), DayKind.DAY_OFF, "Nghỉ hoán đổi (làm bù thứ Bảy 10/01/2026)", _NEW_YEAR_2026, _A),
    CalendarEntry(date(2026, 1, 10), DayKind.WORKING_DAY, "Làm bù (cho ngày nghỉ 02/01/2026)", _NEW_YEAR_2026, _A),
    CalendarEntry(date(2026, 2, 16), DayKind.HOLIDAY, "Giao thừa Tết Nguyên đán", _TET_2026, _A),
    CalendarEntry(date(2026, 2, 17), DayKind.HOLIDAY, "Tết Nguyên đán", _TET_2026, _A),
    CalendarEntry(date(2026, 2, 18), DayKind.HOLIDAY, "Mùng hai Tết Nguyên đán", _TET_2026, _A),
    CalendarEntry(date(2026, 2, 19), DayKind.HOLIDAY, "Mùng ba Tết Nguyên đán", _TET_2026, _A),
    CalendarEntry(date(2026, 2, 20), DayKind.HOLIDAY, "Mùng bốn Tết Nguyên đán", _TET_2026, _A),
    CalendarEntry(date(2026, 4, 27), DayKind.HOLIDAY, "Ngày Giỗ Tổ Hùng Vương (nghỉ bù)", _HUNG_2026, _A),
)


def vietnam_entries(years: Iterable[int], *, language: str | None = None) -> list[CalendarEntry]:
    """Holidays, days off and working Saturdays the ``holidays`` package knows for ``years``.

    ``language`` None picks the package's Vietnamese names when it has them, else
    its English ones translated through ``NAMES_VI`` ("en_US" forces the fallback).
    """
    wanted = sorted(set(years))
    if not wanted:
        return []
    if language is None:
        language = "vi" if "vi" in holidays.VN.supported_languages else "en_US"
    vietnamese = language == "vi"
    table = holidays.country_holidays("VN", years=wanted, language=language)
    entries: list[CalendarEntry] = []
    swaps: dict[date, date] = {}  # working Saturday -> the weekday given off for it
    for day, label in sorted(table.items()):
        if day.year not in wanted:
            continue
        substituted = _SUBSTITUTED.search(label)
        if substituted:
            first, second, year = (int(g) for g in substituted.groups())
            # vi writes day/month, en_US month/day
            worked = date(year, second, first) if vietnamese else date(year, first, second)
            swaps[worked] = day
            name = f"Nghỉ hoán đổi (làm bù {_WEEKDAYS_VI[worked.weekday()]} {worked:%d/%m/%Y})"
            entries.append(_package_entry(day, DayKind.DAY_OFF, name, RULE_SWAP))
        else:
            name = vietnamese_name(label, vietnamese)
            if name.startswith("Ngày Văn hóa Việt Nam"):
                entries.append(_package_entry(day, DayKind.HOLIDAY, name, RULE_CULTURE_DAY, CULTURE_DAY_NOTE))
            else:
                entries.append(_package_entry(day, DayKind.HOLIDAY, name, RULE_LABOUR_CODE))
    for worked in sorted(table.weekend_workdays):
        if worked.year in wanted:
            off = swaps.get(worked)
            name = f"Làm bù (cho ngày nghỉ {off:%d/%m/%Y})" if off else "Làm bù"
            entries.append(_package_entry(worked, DayKind.WORKING_DAY, name, RULE_SWAP))
    return sorted(entries, key=lambda e: e.day)


def _package_entry(day: date, kind: DayKind, name: str, rule: str, note: str = "") -> CalendarEntry:
    return CalendarEntry(day, kind, name, f"{SOURCE}: {rule}", EntryOrigin.PACKAGE, note)


def default_entries(years: Iterable[int]) -> list[CalendarEntry]:
    """Package entries plus ``EXTRAS`` for ``years``, one entry per day (extras win)."""
    wanted = set(years)
    by_day = {e.day: e for e in vietnam_entries(wanted)}
    by_day.update({e.day: e for e in EXTRAS if e.day.year in wanted})
    return [by_day[d] for d in sorted(by_day)]


def vietnamese_name(label: str, vietnamese: bool = True) -> str:
    """A package label in the Vietnamese we print: "Tết Nguyên đán" (not "Nguyên Đán")."""
    observed = bool(_OBSERVED.search(label))
    estimated = bool(_ESTIMATED.search(label))
    core = _ESTIMATED.sub("", _OBSERVED.sub("", label)).strip()
    if not vietnamese:
        core = NAMES_VI.get(core, core)
    # Orthography rules (Decree 30/2020) capitalise only the first syllable of "Nguyên đán".
    core = core.replace("Nguyên Đán", "Nguyên đán")
    if core == "29 Tết":
        core = "29 Tết Nguyên đán"
    if observed:
        core += " (nghỉ bù)"
    if estimated:
        core += " (dự kiến)"
    return core
