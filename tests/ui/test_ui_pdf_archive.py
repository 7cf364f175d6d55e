"""The PDF folder printer: an archived original is never overwritten; reprints get their own names."""
from __future__ import annotations

import threading

from counter_app.ui.printing import PDF_PREFIX, deliver


def test_reprints_never_overwrite_the_original(tmp_path):
    printer = f"{PDF_PREFIX}{tmp_path}"
    first = deliver(b"%PDF original", title="H45.123-261127-0001_Mau01", printer=printer)
    second = deliver(b"%PDF copy 2", title="H45.123-261127-0001_Mau01", printer=printer, reprint=True)
    third = deliver(b"%PDF copy 3", title="H45.123-261127-0001_Mau01", printer=printer, reprint=True)
    assert [p.rsplit("/", 1)[-1] for p in (first, second, third)] == [
        "H45.123-261127-0001_Mau01.pdf", "H45.123-261127-0001_Mau01-ban-sao-2.pdf",
        "H45.123-261127-0001_Mau01-ban-sao-3.pdf",
    ]
    assert (tmp_path / "H45.123-261127-0001_Mau01.pdf").read_bytes() == b"%PDF original"
    assert (tmp_path / "H45.123-261127-0001_Mau01-ban-sao-3.pdf").read_bytes() == b"%PDF copy 3"


def test_an_original_with_a_taken_name_gets_a_new_one(tmp_path):
    printer = f"{PDF_PREFIX}{tmp_path}"
    (tmp_path / "BanGiao_x.pdf").write_bytes(b"earlier")
    where = deliver(b"%PDF new", title="BanGiao_x", printer=printer)
    assert where.endswith("BanGiao_x-2.pdf")
    assert (tmp_path / "BanGiao_x.pdf").read_bytes() == b"earlier"


def test_simultaneous_reprints_each_get_a_file(tmp_path):
    printer = f"{PDF_PREFIX}{tmp_path}"
    deliver(b"original", title="T", printer=printer)
    out: list[str] = []
    threads = [threading.Thread(target=lambda i=i: out.append(deliver(f"copy {i}".encode(), title="T", printer=printer,
                                                                      reprint=True)))
               for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(out)) == 6
    assert sorted(p.read_bytes() for p in tmp_path.glob("T-ban-sao-*.pdf")) == sorted(f"copy {i}".encode()
                                                                                      for i in range(6))
