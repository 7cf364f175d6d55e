"""Printed tickets and guide slips (read back), and the offline voice announcements."""
from __future__ import annotations

import subprocess
import wave
from pathlib import Path

import pytest
from pypdf import PdfReader

from counter_app.paths import resources_dir
from counter_app.printing.ticket import render_guide_slip, render_ticket
from counter_app.services.catalog import CatalogService
from counter_app.services.context import ServiceContext
from counter_app.services.queue_guide import local_guide
from counter_app.services.views import OfficeView
from counter_app.storage.engine import open_database
from counter_app.storage.uow import make_uow_factory
from counter_app.voice import announcement_clips, clip_names, shipped_voice_dir

OFFICE = OfficeView("H45.123", "UBND phường Đông Hà", "UBND tỉnh Quảng Trị", "Đông Hà", "", "")
MM = 72 / 25.4


def pdf_text(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "out.pdf"
    path.write_bytes(data)
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(out.split())  # lines wrap differently on 58 mm


@pytest.mark.parametrize("width", [80, 58])
def test_ticket_pdf_has_number_service_and_vietnamese_text(queue, tmp_path, width):
    for _ in range(2):
        queue.issue("A")
    ticket = queue.issue("A", "elderly")
    data = render_ticket(queue.issue("A"), OFFICE, width)
    text = pdf_text(data, tmp_path)
    assert "A004" in text and "Hộ tịch" in text and "UBND PHƯỜNG ĐÔNG HÀ" in text
    assert "Số người chờ trước: 3" in text and "khoảng 6 phút" in text  # 3 ahead × 6 min / 3 counters
    page = PdfReader(tmp_path / "out.pdf").pages[0]
    assert float(page.mediabox.width) == pytest.approx(width * MM, abs=0.5)
    assert float(page.mediabox.height) < 120 * MM  # fitted to content, not a full page
    priority = pdf_text(render_ticket(ticket, OFFICE, width), tmp_path)
    assert "ƯU TIÊN: Người cao tuổi" in priority and "A003" in priority


def test_guide_slip_from_the_catalogue(queue, tmp_path, clock):
    engine = open_database(tmp_path / "counter.sqlite")
    ctx = ServiceContext(make_uow_factory(engine), clock)
    CatalogService(ctx).import_json(resources_dir() / "catalog" / "procedures.json")
    assert queue.guide("khai sinh")[0].name.startswith("Đăng ký")  # the queue's own guide sees it too
    entries = local_guide(ctx)("dang ky khai sinh", queue.config())
    birth = next(e for e in entries if e.code == "1.001193")
    assert birth.service_prefix == "A" and birth.time_text.startswith("Trong ngày")
    assert any("Giấy chứng sinh" in c for c in birth.components)
    text = pdf_text(render_guide_slip(birth, OFFICE, 58), tmp_path)
    assert "Đăng ký khai sinh" in text and "Giấy chứng sinh" in text and "Thành phần hồ sơ" in text
    engine.dispose()


def test_announcement_clip_sequence():
    assert clip_names("A012", 3) == ["chime", "moi_cong_dan_so", "A", "0", "1", "2", "den_quay_so", "3"]
    assert clip_names("C3-001", 12, "pickup") == [
        "chime", "moi_cong_dan_so", "C", "3", "0", "0", "1", "den_quay_so", "1", "2", "nhan_ket_qua"]
    with pytest.raises(ValueError):
        clip_names("A001", 1, "shout")


def test_shipped_clips_exist_are_wav_and_small():
    folder = shipped_voice_dir()
    names = {n for letter in "ABCDEFGHIJKLMNOPQRSTUVWXYZ" for n in clip_names(letter + "0123456789", 1, "pickup")}
    total = 0
    for name in names:
        path = folder / f"{name}.wav"
        with wave.open(str(path), "rb") as w:
            assert w.getnchannels() == 1 and w.getnframes() > w.getframerate() // 10  # > 0.1 s of sound
        total += path.stat().st_size
    assert total < 1024 * 1024


def test_office_clips_override_shipped_ones(tmp_path):
    own = tmp_path / "voice"
    own.mkdir()
    (own / "chime.wav").write_bytes((shipped_voice_dir() / "chime.wav").read_bytes())
    clips = announcement_clips("B007", 2, voice_dir=own)
    assert clips[0] == own / "chime.wav" and clips[1] == shipped_voice_dir() / "moi_cong_dan_so.wav"
    assert [p.stem for p in clips] == clip_names("B007", 2)


def test_missing_clip_is_skipped_not_fatal(tmp_path, monkeypatch):
    monkeypatch.setenv("COUNTER_APP_RESOURCES", str(tmp_path))  # no shipped clips at all
    assert announcement_clips("A001", 1) == []
