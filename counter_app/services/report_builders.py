"""Statistics (monthly / quarterly), staff figures and the Decision 766 indicators.

Definitions (the test recomputes them from raw events the same way):
- received: a ``received`` event in the period;
- resolved: the first ``result_received`` in the period, judged early / on time / late
  against the statutory due + pauses (an extension never makes it on time);
- processing / overdue: received before the end, not closed by then (result, refusal,
  withdrawal, stop, return); overdue when the statutory due + pauses has passed at the end;
- returned / withdrawn / refused / stopped: such an event in the period;
- ratings: ``rated`` events in the period; processing time in working days, pauses excluded.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from ..domain.status import EventKind as K
from .report_766 import SATISFACTION, TIMELINESS, count_766
from .report_clock import WorkClock
from .report_digital import DIGITISATION_POINTS, count_digitisation
from .report_facts import Facts, day_seconds, work_clock
from .report_views import Chart, Column, Figure, ReportTable, ReportView, Row, Series

RATINGS = (("very_satisfied", "Rất hài lòng", "Very satisfied"), ("satisfied", "Hài lòng", "Satisfied"),
           ("not_satisfied", "Không hài lòng", "Not satisfied"))
NOT_RECORDED_VI, NOT_RECORDED_EN = "Chưa ghi nhận", "not recorded"


def scoped(L: Any) -> list[Facts]:
    """Dossiers of the chosen counter (workstation) and clerk."""
    return [f for f in L.facts if (not L.clerk or f.dossier.received_by == L.clerk)
            and (not L.counter or f.dossier.workstation_id == L.counter)]


def share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@dataclass
class Tally:
    """What ``stats`` adds up, kept apart so groups are counted once and summed for the total."""

    c: Counter[str] = field(default_factory=Counter)
    days: list[float] = field(default_factory=list)
    statutory: list[float] = field(default_factory=list)
    targets: list[float] = field(default_factory=list)

    def __add__(self, other: Tally) -> Tally:
        return Tally(self.c + other.c, self.days + other.days, self.statutory + other.statutory,
                     self.targets + other.targets)


def tally(L: Any, facts: Iterable[Facts]) -> Tally:
    # A year's statistics pass 100,000 facts through here: the counts are kept in locals and
    # put into the Counter once, with the keys counting each into it would have made.
    t = Tally()
    begin, stop = L.begin, L.stop
    rules_by_id, target = L.rules, L.target
    days, statutory_days, targets = t.days, t.statutory, t.targets
    per_rules: dict[int, tuple[WorkClock | None, int]] = {}  # by id(rules): its clock and a day's working seconds
    seen = received = resolved = within = timed = processing = overdue = 0
    judged: dict[str, int] = {}
    counted: dict[str, int] = {}
    for f in facts:
        seen += 1
        rules = rules_by_id.get(f.dossier.id)
        moment = f.received_at
        if moment is not None and begin <= moment < stop:
            received += 1
        moment = f.result_at
        if moment is not None and begin <= moment < stop:
            resolved += 1
            judgement = f.judgement or "on_time"
            judged[judgement] = judged.get(judgement, 0) + 1
            known = per_rules.get(id(rules))
            if known is None:
                known = per_rules[id(rules)] = (work_clock(f.rules) if f.rules is not None else None,
                                                day_seconds(rules))
            clock, per_day = known
            spent = f.processing_on(clock) if clock is not None else None
            allowed = f.statutory_on(clock) if spent is not None and clock is not None else None
            if spent is not None and allowed is not None:
                target_s = allowed * (1 - target(f.dossier.procedure_code) / 100)
                days.append(spent / per_day)
                statutory_days.append(allowed / per_day)
                targets.append(target_s / per_day)
                within += spent <= target_s
                timed += 1
        if f.open_at(stop):
            processing += 1
            overdue += f.overdue_at(stop, rules)
        for key, n in f.period_counts(begin, stop):
            counted[key] = counted.get(key, 0) + n
    c = t.c
    if seen:
        c["received"] = received
    if resolved:
        c["resolved"] = resolved
        c.update(judged)
    if timed:
        c["within_target"], c["timed"] = within, timed
    if processing:
        c["processing"], c["overdue"] = processing, overdue
    c.update(counted)
    return t


def summary(t: Tally) -> dict[str, Any]:
    c = Counter(t.c)
    c["on_time_total"] = c["early"] + c["on_time"]
    days, statutory, targets = t.days, t.statutory, t.targets
    return {
        **c, "on_time_share": share(c["on_time_total"], c["resolved"]),
        "satisfied_share": share(c["rating:very_satisfied"] + c["rating:satisfied"], c["ratings"]),
        "avg_days": sum(days) / len(days) if days else None,
        "avg_statutory_days": sum(statutory) / len(statutory) if statutory else None,
        "avg_target_days": sum(targets) / len(targets) if targets else None,
        "within_target_share": share(c["within_target"], c["timed"]),
    }


def stats(L: Any, facts: Iterable[Facts]) -> dict[str, Any]:
    return summary(tally(L, facts))


_STAT_COLUMNS = (
    Column("received", "Tiếp nhận", "Received", "int", 9),
    Column("resolved", "Đã giải quyết", "Resolved", "int", 9),
    Column("early", "Trước hạn", "Early", "int", 8, "Đã giải quyết", "Resolved"),
    Column("on_time", "Đúng hạn", "On time", "int", 8, "Đã giải quyết", "Resolved"),
    Column("late", "Quá hạn", "Late", "int", 8, "Đã giải quyết", "Resolved"),
    Column("processing", "Đang giải quyết", "Processing", "int", 9),
    Column("overdue", "Trong đó quá hạn", "Of which overdue", "int", 9),
    Column("returned", "Đã trả", "Returned", "int", 8),
    Column("withdrawn", "Rút hồ sơ", "Withdrawn", "int", 8),
    Column("refused", "Từ chối", "Refused", "int", 8),
    Column("on_time_share", "Tỷ lệ đúng hạn", "On-time share", "percent", 9),
    Column("avg_days", "TG xử lý TB (ngày LV)", "Avg time (working days)", "float", 10),
    Column("avg_statutory_days", "TG quy định TB", "Avg statutory time", "float", 10),
    Column("avg_target_days", "TG mục tiêu TB", "Avg target time", "float", 10),
    Column("within_target_share", "Tỷ lệ đạt mục tiêu", "Within target", "percent", 9),
)


def _stat_row(st: dict[str, Any]) -> Row:
    return tuple(st.get(c.key, 0) if c.kind == "int" else st.get(c.key) for c in _STAT_COLUMNS)


def header(L: Any, kind: str, title_vi: str, title_en: str, **kw: Any) -> dict[str, Any]:
    filters = {}
    if L.counter:
        filters["counter"] = L.counter_name or L.counter
    if L.clerk:
        filters["clerk"] = f"{L.users.get(L.clerk, L.clerk)} ({L.clerk})"
    return dict(kind=kind, title_vi=title_vi, title_en=title_en, start=L.start, end=L.end,
                generated_at=L.s.now, office_name=L.office_name, office_parent=L.office_parent,
                place_name=L.place_name, filters=filters, **kw)


def build_monthly(L: Any) -> ReportView:
    facts = scoped(L)
    groups: dict[tuple[str, str, str], list[Facts]] = defaultdict(list)
    for f in facts:
        rules = L.rules.get(f.dossier.id)
        area = rules.procedure.field if rules is not None else ""
        groups[(area or "—", f.dossier.procedure_code, f.dossier.procedure_name)].append(f)
    tallies = {key: tally(L, fs) for key, fs in groups.items()}
    total = summary(sum(tallies.values(), Tally()))
    rows: list[Row] = []
    heads: list[tuple[int, str]] = []
    last_field = None
    for (area, code, name), t in sorted(tallies.items()):
        st = summary(t)
        if not any(st.get(k)
                   for k in ("received", "resolved", "processing", "returned", "withdrawn", "refused", "ratings")):
            continue
        if area != last_field:
            heads.append((len(rows), area))
            last_field = area
        rows.append((area, code, name, *_stat_row(st)))
    columns = (Column("field", "Lĩnh vực", "Field", "text", 18),
               Column("procedure", "Mã TTHC", "Procedure code", "text", 10),
               Column("procedure_name", "Tên thủ tục hành chính", "Procedure", "text", 36), *_STAT_COLUMNS)
    table = ReportTable("by_procedure", "Theo thủ tục và lĩnh vực", "By procedure and field", columns, tuple(rows),
                        total=("Tổng cộng", "", "", *_stat_row(total)), groups=tuple(heads))
    ratings = ReportTable(
        "satisfaction", "Mức độ hài lòng", "Satisfaction",
        (Column("level", "Mức độ", "Level", "text", 20), Column("count", "Số lượt", "Count", "int", 10),
         Column("share", "Tỷ lệ", "Share", "percent", 10)),
        tuple((vi, total.get("rating:" + key, 0), share(total.get("rating:" + key, 0), total.get("ratings", 0)))
              for key, vi, _ in RATINGS),
        total=("Tổng cộng", total.get("ratings", 0), 1.0 if total.get("ratings") else None),
    )
    months = _months(L.start, L.end)
    got: Counter[tuple[str, int, int]] = Counter()  # one pass over the facts, by (year, month) of the period's months
    begin, stop = L.begin, L.stop
    for f in facts:
        moment = f.received_at
        if moment is not None and begin <= moment < stop:
            got["received", moment.year, moment.month] += 1
        moment = f.result_at
        if moment is not None and begin <= moment < stop:
            got["resolved", moment.year, moment.month] += 1
            got["on_time", moment.year, moment.month] += f.judgement in ("early", "on_time")
    by_month = []
    for first, _last in months:
        received, resolved, on_time = (got[k, first.year, first.month] for k in ("received", "resolved", "on_time"))
        by_month.append((f"{first:%m/%Y}", received, resolved, on_time, share(on_time, resolved)))
    month_table = ReportTable(
        "by_month", "Theo tháng", "By month",
        (Column("month", "Tháng", "Month", "text", 10), Column("received", "Tiếp nhận", "Received", "int", 10),
         Column("resolved", "Đã giải quyết", "Resolved", "int", 10),
         Column("on_time", "Đúng/trước hạn", "Early or on time", "int", 10),
         Column("on_time_share", "Tỷ lệ đúng hạn", "On-time share", "percent", 10)),
        tuple(by_month))
    charts = (_received_chart(L, facts),
              Chart("on_time_by_month", "line", "Tỷ lệ giải quyết đúng hạn theo tháng", "On-time share per month",
                    tuple(m[0] for m in by_month),
                    (Series("Đúng hạn", "On time", tuple(m[4] for m in by_month)),),
                    percent=True))
    figures = _figures(total)
    notes = _target_notes(L)
    return ReportView(**header(L, "monthly", "BÁO CÁO THỐNG KÊ TÌNH HÌNH TIẾP NHẬN VÀ GIẢI QUYẾT HỒ SƠ",
                               "Statistics of dossiers received and resolved"),
                      figures=figures, tables=(table, ratings, month_table), charts=charts, notes_vi=notes[0],
                      notes_en=notes[1], landscape=True)


def _figures(st: dict[str, Any]) -> tuple[Figure, ...]:
    out = [Figure(c.key, c.title_vi, c.title_en, st.get(c.key, 0) if c.kind == "int" else st.get(c.key), c.kind)
           for c in _STAT_COLUMNS]
    out.append(Figure("stopped", "Dừng giải quyết", "Stopped", st.get("stopped", 0)))
    out.append(Figure("ratings", "Lượt đánh giá", "Ratings", st.get("ratings", 0)))
    out.append(Figure("satisfied_share", "Tỷ lệ hài lòng", "Satisfied share", st.get("satisfied_share"), "percent"))
    return tuple(out)


def _target_notes(L: Any) -> tuple[tuple[str, ...], tuple[str, ...]]:
    pct = L.target("")
    special = {k: v for k, v in L.target_percent.items() if k}
    vi = [f"Thời gian mục tiêu nội bộ: rút ngắn {pct:g}% so với thời gian quy định"
          + (f" (riêng: {', '.join(f'{k} {v:g}%' for k, v in sorted(special.items()))})" if special else "") + "."]
    en = [f"Internal target time: {pct:g}% shorter than the statutory time"
          + (f" (specific: {', '.join(f'{k} {v:g}%' for k, v in sorted(special.items()))})" if special else "") + "."]
    return tuple(vi), tuple(en)


def _months(start: date, end: date) -> list[tuple[date, date]]:
    out = []
    first = start
    while first <= end:
        nxt = date(first.year + (first.month == 12), first.month % 12 + 1, 1)
        out.append((first, min(end, nxt - timedelta(days=1))))
        first = nxt
    return out


def _received_chart(L: Any, facts: list[Facts]) -> Chart:
    """Received per day for up to two months, per month beyond."""
    if (L.end - L.start).days <= 62:
        days = [L.start + timedelta(days=i) for i in range((L.end - L.start).days + 1)]
        count = Counter(f.received_at.date() for f in facts if f.received_at is not None and L.in_period(f.received_at))
        return Chart("received", "bar", "Hồ sơ tiếp nhận theo ngày", "Dossiers received per day",
                     tuple(f"{d:%d/%m}" for d in days),
                     (Series("Tiếp nhận", "Received", tuple(float(count[d]) for d in days)),))
    months = _months(L.start, L.end)
    by_month = Counter((f.received_at.year, f.received_at.month) for f in facts
                       if f.received_at is not None and L.in_period(f.received_at))
    return Chart("received", "bar", "Hồ sơ tiếp nhận theo tháng", "Dossiers received per month",
                 tuple(f"{m:%m/%Y}" for m, _ in months),
                 (Series("Tiếp nhận", "Received", tuple(float(by_month[(m.year, m.month)]) for m, _ in months)),))


def build_staff(L: Any) -> ReportView:
    per: dict[str, Counter[str]] = defaultdict(Counter)
    for f in L.facts:
        d = f.dossier
        if L.counter and d.workstation_id != L.counter:
            continue
        rec = f.first(K.RECEIVED)
        if rec is not None and L.in_period(rec.at):
            per[d.received_by]["received"] += 1
        if L.in_period(f.result_at):
            per[d.received_by]["resolved"] += 1
            per[d.received_by]["on_time"] += f.judgement in ("early", "on_time")
        for e in f.of_kind(K.RETURNED):
            if L.in_period(e.at):
                per[e.actor]["returned"] += 1
        for e in f.of_kind(K.RATED):
            if L.in_period(e.at):
                who = e.data.get("clerk") or e.actor
                per[who]["rating:" + e.data.get("rating", "")] += 1
                per[who]["ratings"] += 1
    names = sorted(u for u in per if not L.clerk or u == L.clerk)
    rows = []
    for u in names:
        c = per[u]
        rows.append((u, L.users.get(u, u), c["received"], c["resolved"], c["on_time"],
                     share(c["on_time"], c["resolved"]),
                     c["returned"], c["rating:very_satisfied"], c["rating:satisfied"], c["rating:not_satisfied"],
                     share(c["rating:very_satisfied"] + c["rating:satisfied"], c["ratings"])))
    tot: Counter[str] = Counter()
    for u in names:
        tot.update(per[u])
    columns = (
        Column("username", "Tài khoản", "Username", "text", 12), Column("name", "Họ và tên", "Full name", "text", 24),
        Column("received", "Tiếp nhận", "Received", "int", 9),
        Column("resolved", "Đã giải quyết", "Resolved", "int", 9),
        Column("on_time", "Đúng/trước hạn", "Early or on time", "int", 9),
        Column("on_time_share", "Tỷ lệ đúng hạn", "On-time share", "percent", 9),
        Column("returned", "Đã trả", "Returned", "int", 8),
        Column("very_satisfied", "Rất hài lòng", "Very satisfied", "int", 9, "Đánh giá", "Ratings"),
        Column("satisfied", "Hài lòng", "Satisfied", "int", 9, "Đánh giá", "Ratings"),
        Column("not_satisfied", "Không hài lòng", "Not satisfied", "int", 9, "Đánh giá", "Ratings"),
        Column("satisfied_share", "Tỷ lệ hài lòng", "Satisfied share", "percent", 9),
    )
    total = ("Tổng cộng", "", tot["received"], tot["resolved"], tot["on_time"], share(tot["on_time"], tot["resolved"]),
             tot["returned"], tot["rating:very_satisfied"], tot["rating:satisfied"], tot["rating:not_satisfied"],
             share(tot["rating:very_satisfied"] + tot["rating:satisfied"], tot["ratings"]))
    chart = Chart("staff_received", "bar", "Hồ sơ tiếp nhận theo cán bộ", "Dossiers received per clerk",
                  tuple(r[1] for r in rows), (Series("Tiếp nhận", "Received", tuple(float(r[2]) for r in rows)),))
    figures = (Figure("clerks", "Số cán bộ", "Clerks", len(rows)),
               Figure("received", "Tiếp nhận", "Received", tot["received"]),
               Figure("on_time_share", "Tỷ lệ đúng hạn", "On-time share", total[5], "percent"))
    return ReportView(**header(L, "staff", "SỐ LIỆU THEO CÁN BỘ", "Staff figures"), figures=figures,
                      tables=(ReportTable("staff", "Theo cán bộ", "Per clerk", columns, tuple(rows), total=total),),
                      charts=(chart,) if rows else (), landscape=True)


def build_766(L: Any) -> ReportView:
    """Decision 766/QĐ-TTg indicators the counter can compute; the rest say so instead of guessing."""
    facts = scoped(L)
    n = count_766(L, facts)
    d = count_digitisation(L, facts)
    d_vi = (f"tiếp nhận {d.received_digitised}/{d.received}; kết quả {d.results_digitised}/{d.results}; "
            f"dùng lại {d.components_reused}/{d.components_attached} thành phần")
    d_en = (f"reception {d.received_digitised}/{d.received}; results {d.results_digitised}/{d.results}; "
            f"reused {d.components_reused}/{d.components_attached} components")
    late = [f for f in facts if L.in_period(f.result_at) and f.judgement == "late"]
    apologised = sum(any(e.kind is K.EXTENDED and e.at <= (f.result_at or e.at) for e in f.events) for f in late)
    t_pts, s_pts = TIMELINESS.points(n.timeliness), SATISFACTION.points(n.satisfaction)
    counts = f"{n.on_time}/{n.counted}"
    t_vi = (f"(đã giải quyết + đang giải quyết − quá hạn) / (đã giải quyết + đang giải quyết) = {counts}; "
            "bổ sung hơn 01 lần tính quá hạn")
    t_en = (f"(resolved + in progress − late) / (resolved + in progress) = {counts}; "
            "a supplement asked for more than once counts late")
    s_vi = f"100% − (tỷ lệ quá hạn {n.late}/{n.counted} + tỷ lệ có phản ánh, không hài lòng {n.disliked}/{n.counted})"
    s_en = f"100% − (late rate {n.late}/{n.counted} + rate with complaints or dislikes {n.disliked}/{n.counted})"
    rows = (
        ("Tiến độ giải quyết", 20, TIMELINESS.full_at, n.timeliness, t_pts, t_vi),
        ("Mức độ hài lòng", 18, SATISFACTION.full_at, n.satisfaction, s_pts, s_vi),
        ("Hồ sơ quá hạn có văn bản xin lỗi (Mẫu 04)", None, None, share(apologised, len(late)), None,
         f"{apologised}/{len(late)}"),
        ("Số hóa hồ sơ, kết quả giải quyết", DIGITISATION_POINTS, None, None, None, d_vi),
        ("  Hồ sơ số hóa khi tiếp nhận", None, None, d.reception_rate, None,
         f"{d.received_digitised}/{d.received}: mọi thành phần được quét trước khi bàn giao"),
        ("  Kết quả giải quyết số hóa", None, None, d.result_rate, None,
         f"{d.results_digitised}/{d.results}: có kết quả điện tử"),
        ("  Thành phần dùng lại dữ liệu số hóa", None, None, d.reuse_rate, None,
         f"{d.components_reused}/{d.components_attached}: dùng lại bản đã số hóa của hồ sơ trước"),
        ("Thanh toán trực tuyến", 10, None, None, None, NOT_RECORDED_VI),
        ("Công khai, minh bạch", 18, None, None, None, "Không tính tại quầy"),
        ("Cung cấp dịch vụ trực tuyến", 12, None, None, None, "Không tính tại quầy"),
    )
    rows_en = (
        ("Timeliness", 20, TIMELINESS.full_at, n.timeliness, t_pts, t_en),
        ("Satisfaction", 18, SATISFACTION.full_at, n.satisfaction, s_pts, s_en),
        ("Late dossiers with an apology letter (Mẫu 04)", None, None, share(apologised, len(late)), None,
         f"{apologised}/{len(late)}"),
        ("Digitisation of dossiers and results", DIGITISATION_POINTS, None, None, None, d_en),
        ("  Dossiers digitised at reception", None, None, d.reception_rate, None,
         f"{d.received_digitised}/{d.received}: every component scanned before the hand-over"),
        ("  Results digitised", None, None, d.result_rate, None,
         f"{d.results_digitised}/{d.results}: with an electronic result"),
        ("  Components reusing digitised data", None, None, d.reuse_rate, None,
         f"{d.components_reused}/{d.components_attached}: an earlier dossier's digitised papers reused"),
        ("Online payment", 10, None, None, None, NOT_RECORDED_EN),
        ("Publicity and transparency", 18, None, None, None, "not computed at the counter"),
        ("Online services", 12, None, None, None, "not computed at the counter"),
    )
    columns = (Column("indicator", "Chỉ số", "Indicator", "text", 30),
               Column("max", "Điểm tối đa", "Max points", "int", 9),
               Column("full_at", "Đạt tối đa khi ≥", "Full points from", "percent", 11),
               Column("value", "Tỷ lệ", "Rate", "percent", 9), Column("points", "Điểm đạt", "Points", "float", 8),
               Column("formula", "Cách tính", "Formula", "text", 52))
    figures = (
        Figure("resolved", "Hồ sơ đã giải quyết", "Resolved", n.resolved),
        Figure("in_progress", "Đang giải quyết (cuối kỳ)", "In progress (end of period)", n.in_progress),
        Figure("counted", "Hồ sơ tính chỉ số", "Dossiers counted", n.counted),
        Figure("on_time", "Đúng hoặc trước hạn", "Early or on time", n.on_time),
        Figure("late", "Quá hạn", "Late", n.late),
        Figure("repeated_supplement", "Bổ sung hơn 01 lần (tính quá hạn)", "Supplement asked more than once (late)",
               n.repeated_supplement),
        Figure("disliked", "Có phản ánh, không hài lòng", "With complaints or dislikes", n.disliked),
        Figure("timeliness", "Tỷ lệ đúng hạn", "Timeliness", n.timeliness, "percent"),
        Figure("timeliness_points", "Điểm tiến độ (/20)", "Timeliness points (/20)", t_pts, "float"),
        Figure("satisfaction", "Mức độ hài lòng", "Satisfaction", n.satisfaction, "percent"),
        Figure("satisfaction_points", "Điểm hài lòng (/18)", "Satisfaction points (/18)", s_pts, "float"),
        Figure("digitised_at_reception", "Hồ sơ số hóa khi tiếp nhận", "Dossiers digitised at reception",
               d.reception_rate, "percent"),
        Figure("results_digitised", "Kết quả số hóa", "Results digitised", d.result_rate, "percent"),
        Figure("components_reused", "Thành phần dùng lại", "Components reused", d.reuse_rate, "percent"),
        Figure("online_payment", "Thanh toán trực tuyến", "Online payment", NOT_RECORDED_VI, "text"),
    )
    return ReportView(**header(L, "766",
                               "CHỈ SỐ ĐÁNH GIÁ THEO QUYẾT ĐỊNH 766/QĐ-TTg (PHẦN DO BỘ PHẬN MỘT CỬA GHI NHẬN)",
                               "Decision 766 indicators (the counter's part)"),
                      figures=figures,
                      tables=(ReportTable("indicators", "Chỉ số", "Indicators", columns, rows, rows_en=rows_en),),
                      notes_vi=_766_NOTES_VI, notes_en=_766_NOTES_EN)


_766_NOTES_VI = (
    "Tiến độ giải quyết: hồ sơ đã giải quyết trong kỳ và hồ sơ đang giải quyết cuối kỳ; hồ sơ đang giải quyết "
    f"đã quá hạn tính quá hạn. Điểm = {TIMELINESS.max_points} × tỷ lệ đúng hạn.",
    f"Mức độ hài lòng = 100% − (tỷ lệ hồ sơ quá hạn + tỷ lệ hồ sơ có phản ánh, kiến nghị, không hài lòng); "
    f"đạt {SATISFACTION.max_points} điểm khi ≥ {SATISFACTION.full_at:.0%}, dưới mức đó tính theo tỷ lệ. "
    "Quầy ghi nhận ý kiến không hài lòng khi trả kết quả; phản ánh, kiến nghị qua kênh khác chưa được ghi nhận.",
    "Số hóa: tính từ các bản điện tử đính kèm hồ sơ (tỷ lệ, không quy ra điểm: cách chia "
    f"{DIGITISATION_POINTS} điểm giữa các tỷ lệ theo hướng dẫn của tỉnh). Quầy chưa ghi nhận thanh toán trực "
    "tuyến: chỉ số này để trống, không ước lượng.",
)
_766_NOTES_EN = (
    "Timeliness: dossiers resolved in the period and dossiers still in progress at its end; an in-progress "
    f"dossier past its due date counts late. Points = {TIMELINESS.max_points} × on-time rate.",
    "Satisfaction = 100% − (late rate + rate of dossiers with complaints or dislikes); "
    f"{SATISFACTION.max_points} points from {SATISFACTION.full_at:.0%}, proportionally below. "
    "The counter records dislikes at the return; complaints made through other channels are not recorded.",
    "Digitisation: from the electronic copies attached to the dossiers (rates, not points: how the "
    f"{DIGITISATION_POINTS} points split between them is the province's guide). The counter does not record "
    "online payment yet: that indicator is left blank, not estimated.",
)
