"""What the clerk has digitised for each component of the dossier being received (no widget, no I/O).

A component holds tiles in the clerk's order: scanned or imported page images (turned, moved,
deleted one by one) and imported PDFs (kept as they are, never re-encoded). Every change bumps the
component's version; the staged drafts are only kept when they were made from the version still
current, so a staging that lost the race to a newer change is simply dropped (its file stays an
orphan in the store, which the integrity check reports, by design).
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from counter_app.domain.attachments import AttachmentDraft, AttachmentSource
from counter_app.domain.scanning import AssembledPdf, PageImage

_ids = itertools.count(1)


@dataclass
class Tile:
    page: PageImage | None = None  # a page image, scanned or imported
    pdf: AssembledPdf | None = None  # an imported PDF, attached as it is
    filename: str = ""
    source: AttachmentSource = AttachmentSource.SCAN
    id: int = field(default_factory=lambda: next(_ids))

    @property
    def pages(self) -> int:
        return self.pdf.pages if self.pdf is not None else 1


@dataclass
class ComponentFiles:
    tiles: list[Tile] = field(default_factory=list)
    drafts: tuple[AttachmentDraft, ...] = ()  # staged from ``staged_version``
    version: int = 0
    staged_version: int = 0
    reused: AttachmentDraft | None = None  # an earlier dossier's file attached instead of a scan
    reused_code: str = ""

    @property
    def pages(self) -> int:
        if self.reused is not None:
            return self.reused.pages
        return sum(t.pages for t in self.tiles)

    @property
    def staging(self) -> bool:
        """A change is not staged yet (the worker is on it)."""
        return self.reused is None and self.staged_version != self.version

    def changed(self) -> int:
        self.version += 1
        self.reused, self.reused_code = None, ""
        if not self.tiles:  # nothing left to stage: nothing to attach
            self.drafts, self.staged_version = (), self.version
        return self.version

    def index(self, tile_id: int) -> int:
        return next((i for i, t in enumerate(self.tiles) if t.id == tile_id), -1)

    def move(self, tile_id: int, delta: int) -> bool:
        at = self.index(tile_id)
        to = at + delta
        if at < 0 or not 0 <= to < len(self.tiles):
            return False
        self.tiles.insert(to, self.tiles.pop(at))
        return True

    def reorder(self, tile_ids: list[int]) -> bool:
        by_id = {t.id: t for t in self.tiles}
        if sorted(tile_ids) != sorted(by_id) or tile_ids == [t.id for t in self.tiles]:
            return False
        self.tiles = [by_id[i] for i in tile_ids]
        return True

    def rotate(self, tile_id: int, degrees: int = 90) -> bool:
        at = self.index(tile_id)
        if at < 0 or self.tiles[at].page is None:
            return False  # an imported PDF keeps its own pages
        page = self.tiles[at].page
        assert page is not None
        self.tiles[at].page = page.rotated(degrees)
        return True

    def delete(self, tile_id: int) -> bool:
        at = self.index(tile_id)
        if at < 0:
            return False
        del self.tiles[at]
        return True

    def replace(self, tile_id: int, tiles: list[Tile]) -> bool:
        at = self.index(tile_id)
        if at < 0 or not tiles:
            return False
        self.tiles[at:at + 1] = tiles
        return True


def runs(tiles: list[Tile]) -> list[list[Tile]]:
    """The tiles as the files they make: each run of page images one PDF, each imported PDF its own."""
    out: list[list[Tile]] = []
    for tile in tiles:
        if tile.pdf is None and out and out[-1][-1].pdf is None:
            out[-1].append(tile)
        else:
            out.append([tile])
    return out
