"""The scan panel's logic: scan, import, arrange and stage each component's pages; offer reuse.

Scanner, file and PDF work runs on the panel's own worker (``files``), never on the GUI thread and
never on the database worker a clerk's save waits on; the feeder's pages reach the GUI thread one
by one through ``_Relay``'s queued signal. Every change is staged (assembled into the component's
PDF and put in the local store) at once, so F9 finds the drafts ready and waits for at most the
one staging still running. Errors are shown; the pages already there stay.
"""
from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QImage

from counter_app.domain.attachments import AttachmentDraft, AttachmentSource
from counter_app.domain.errors import DomainError
from counter_app.domain.scanning import PageImage

from ..i18n import error_text, tr
from .scan_model import ComponentFiles, Tile, runs
from .thumbnails import placeholder, thumbnail, turned

if TYPE_CHECKING:
    from counter_app.services.attachments import AttachmentView
    from counter_app.services.facade import Services


class Runner(Protocol):
    def submit(self, fn: Callable[[], Any], on_done: Any = None, on_error: Any = None) -> int: ...


class ScanPanelView(Protocol):
    def show_files(self, component: str, tiles: list[tuple[int, QImage, str]], status: str, note: str, *,
                   offer: bool) -> None: ...
    def set_component_status(self, component: str, text: str) -> None: ...
    def set_scanning(self, scanning: bool) -> None: ...
    def selected_tile(self) -> int | None: ...
    def select_tile(self, tile_id: int) -> None: ...
    def tick(self, component: str) -> None: ...


class _Relay(QObject):
    sig_page = Signal(int, object, object)
    """(scan number, PageImage, thumbnail QImage), emitted on the worker, delivered on the GUI thread."""


class ScanPresenter:
    def __init__(self, view: ScanPanelView, services: Services, files: Runner, db: Runner,
                 on_error: Callable[[str], None]) -> None:
        self.view = view
        self.services = services
        self.files = files
        self.db = db
        self.on_error = on_error
        self.components: dict[str, ComponentFiles] = {}
        self.offers: dict[str, AttachmentView] = {}
        self.current = ""
        self.scanning = False
        self._scan_target = ""  # the component the running scan fills
        self._thumbs: dict[int, QImage] = {}
        self._epoch = 0  # bumped by clear(): answers for a form already cleared are dropped
        self._waiting: list[tuple[Callable[[tuple[AttachmentDraft, ...]], None], Callable[[], None]]] = []
        self._failed: set[str] = set()
        self._relay = _Relay()
        self._relay.sig_page.connect(self._page_arrived)

    # --- the selected component ------------------------------------------------------------
    def select(self, component: str) -> None:
        self.current = component
        self.refresh()

    def files_of(self, component: str) -> ComponentFiles:
        return self.components.setdefault(component, ComponentFiles())

    # --- scanning and importing ------------------------------------------------------------
    def scan(self, replace_tile: int | None = None) -> None:
        """F6: scan with this workstation's settings into the selected component (or over one page)."""
        if self.scanning:
            return
        if not self.current:
            self.on_error(tr("Chọn thành phần hồ sơ cần quét trong danh sách trước"))
            return
        scanning = self.services.scanning
        if scanning is None:
            self.on_error(error_text(DomainError("scan.no_driver", system=sys.platform)))
            return
        component, epoch, relay = self.current, self._epoch, self._relay
        streamed = replace_tile is None  # a rescan's pages replace one page once they are all in

        def on_page(page: PageImage) -> None:
            if streamed:
                relay.sig_page.emit(epoch, page, thumbnail(page))

        def job() -> list[tuple[PageImage, QImage]]:
            pages = scanning.scan(on_page)
            return [] if streamed else [(p, thumbnail(p)) for p in pages]

        self._scan_target = component
        self._set_scanning(True)
        self.files.submit(job, lambda pages: self._scanned(epoch, component, replace_tile, pages),
                          lambda exc: self._scan_failed(epoch, component, exc))

    def rescan(self) -> None:
        tile = self.view.selected_tile()
        comp = self.components.get(self.current)
        if tile is None or comp is None or comp.index(tile) < 0:
            self.on_error(tr("Chọn trang cần quét lại trong dải ảnh trước"))
            return
        self.scan(replace_tile=tile)

    def _page_arrived(self, epoch: int, page: PageImage, thumb: QImage) -> None:
        if epoch != self._epoch:
            return
        tile = Tile(page=page, source=AttachmentSource.SCAN)
        self._thumbs[tile.id] = thumb
        comp = self.files_of(self._scan_target)
        comp.tiles.append(tile)
        comp.changed()
        self.view.tick(self._scan_target)
        self.refresh(select=tile.id)

    def _scanned(self, epoch: int, component: str, replace_tile: int | None,
                 pages: list[tuple[PageImage, QImage]]) -> None:
        self._set_scanning(False)
        if epoch != self._epoch:
            return
        if replace_tile is not None and pages:
            tiles = self._tiles(pages, AttachmentSource.SCAN)
            self.files_of(component).replace(replace_tile, tiles)
            self._changed(component, select=tiles[0].id)
        elif self.files_of(component).staging:
            self._stage(component)

    def _scan_failed(self, epoch: int, component: str, exc: BaseException) -> None:
        self._set_scanning(False)
        self.on_error(error_text(exc))
        if epoch == self._epoch and self.files_of(component).staging:
            self._stage(component)  # a jam after three pages: those three are kept and staged

    def import_file(self, path: str) -> None:
        """Ctrl+O's file: a PDF kept as it is, or an image's pages (a phone photo, a multi-page TIFF)."""
        if not self.current:
            self.on_error(tr("Chọn thành phần hồ sơ cần đính kèm trong danh sách trước"))
            return
        scanning = self.services.scanning
        if scanning is None:
            self.on_error(error_text(DomainError("scan.no_driver", system=sys.platform)))
            return
        component, epoch = self.current, self._epoch

        def job() -> tuple[Any, list[tuple[PageImage, QImage]]]:
            imported = scanning.import_file(path)
            return imported, [(p, thumbnail(p)) for p in imported.pages]

        self.files.submit(job, lambda found: self._imported(epoch, component, *found), self._error)

    def _imported(self, epoch: int, component: str, imported: Any, pages: list[tuple[PageImage, QImage]]) -> None:
        if epoch != self._epoch:
            return
        if imported.pdf is not None:
            tile = Tile(pdf=imported.pdf, filename=imported.filename, source=AttachmentSource.IMPORT)
            self._thumbs[tile.id] = placeholder(tr("PDF\n{pages} trang").format(pages=imported.pdf.pages))
            tiles = [tile]
        else:
            tiles = self._tiles(pages, AttachmentSource.IMPORT, imported.filename)
        self.files_of(component).tiles.extend(tiles)
        self.view.tick(component)
        self._changed(component, select=tiles[-1].id)

    def _tiles(self, pages: list[tuple[PageImage, QImage]], source: AttachmentSource, filename: str = "") -> list[Tile]:
        tiles = []
        for page, thumb in pages:
            tile = Tile(page=page, source=source, filename=filename)
            self._thumbs[tile.id] = thumb
            tiles.append(tile)
        return tiles

    # --- arranging the pages ---------------------------------------------------------------
    def move(self, tile_id: int, delta: int) -> None:
        if self._comp().move(tile_id, delta):
            self._changed(self.current, select=tile_id)

    def reorder(self, tile_ids: list[int]) -> None:
        if self._comp().reorder(tile_ids):
            self._changed(self.current)

    def rotate(self, tile_id: int, degrees: int = 90) -> None:
        if self._comp().rotate(tile_id, degrees):
            self._changed(self.current, select=tile_id)

    def delete(self, tile_id: int) -> None:
        comp = self._comp()
        at = comp.index(tile_id)
        if comp.delete(tile_id):
            self._thumbs.pop(tile_id, None)
            after = comp.tiles[min(at, len(comp.tiles) - 1)].id if comp.tiles else None
            self._changed(self.current, select=after)

    def _comp(self) -> ComponentFiles:
        return self.components.get(self.current) or ComponentFiles()

    def _changed(self, component: str, select: int | None = None) -> None:
        self.files_of(component).changed()
        self._stage(component)
        self.refresh(select=select)

    # --- staging ---------------------------------------------------------------------------
    def _stage(self, component: str) -> None:
        comp = self.files_of(component)
        version, epoch = comp.version, self._epoch
        self._failed.discard(component)
        if not comp.staging:
            self._settled()
            return
        tiles = [replace(t) for t in comp.tiles]  # this version's pages, whatever the clerk does next
        self.files.submit(lambda: self._stage_job(component, tiles),
                          lambda drafts: self._staged(epoch, component, version, drafts),
                          lambda exc: self._stage_failed(epoch, component, version, exc))
        self.refresh()

    def _stage_job(self, component: str, tiles: list[Tile]) -> tuple[AttachmentDraft, ...]:
        """On the files worker: each run of pages assembled into one PDF, every file put in the store."""
        scanning, attachments = self.services.scanning, self.services.attachments
        assert scanning is not None
        drafts = []
        for run in runs(tiles):
            first = run[0]
            if first.pdf is not None:
                pdf, source, filename = first.pdf, AttachmentSource.IMPORT, first.filename
            else:
                pdf = scanning.assemble([t.page for t in run if t.page is not None])
                scanned = any(t.source is AttachmentSource.SCAN for t in run)
                source = AttachmentSource.SCAN if scanned else AttachmentSource.IMPORT
                filename = "" if scanned or len({t.filename for t in run}) > 1 else first.filename
            drafts.append(attachments.stage(pdf.data, pages=pdf.pages, component=component, source=source,
                                            filename=filename))
        return tuple(drafts)

    def _staged(self, epoch: int, component: str, version: int, drafts: tuple[AttachmentDraft, ...]) -> None:
        comp = self.components.get(component)
        if epoch != self._epoch or comp is None or comp.version != version:
            return  # a newer change is being staged: these files stay orphans
        comp.drafts, comp.staged_version = drafts, version
        self.refresh()
        self._settled()

    def _stage_failed(self, epoch: int, component: str, version: int, exc: BaseException) -> None:
        comp = self.components.get(component)
        if epoch != self._epoch or comp is None or comp.version != version:
            return
        self._failed.add(component)
        self.on_error(error_text(exc))
        self.refresh()
        waiting, self._waiting = self._waiting, []
        for _ready, failed in waiting:
            failed()

    def _settled(self) -> None:
        if self._waiting and not any(c.staging for c in self.components.values()):
            waiting, self._waiting = self._waiting, []
            drafts = self.drafts()
            for ready, _failed in waiting:
                ready(drafts)

    def when_ready(self, ready: Callable[[tuple[AttachmentDraft, ...]], None], failed: Callable[[], None]) -> None:
        """F9/F7/F8: ``ready(drafts)`` once every change is staged (at once when it is); a staging that
        failed before is tried again, ``failed()`` if it fails again (its message is shown)."""
        if self.scanning:
            self.on_error(tr("Máy quét đang quét: chờ quét xong rồi bấm lại"))
            failed()
            return
        self._waiting.append((ready, failed))
        for component in sorted(self._failed):
            self._stage(component)
        self._settled()

    def drafts(self) -> tuple[AttachmentDraft, ...]:
        out: list[AttachmentDraft] = []
        for comp in self.components.values():
            out += [comp.reused] if comp.reused is not None else list(comp.drafts)
        return tuple(out)

    # --- reuse of the applicant's earlier papers ---------------------------------------------
    def look_up(self, id_number: str) -> None:
        """The applicant's digitised papers on earlier dossiers (on the database worker)."""
        epoch = self._epoch
        self.db.submit(lambda: self.services.attachments.reusable(id_number),
                       lambda found: self._offered(epoch, found), self._error)

    def _offered(self, epoch: int, found: list[AttachmentView]) -> None:
        if epoch != self._epoch:
            return
        self.offers = {v.attachment.component: v for v in found}
        self.refresh()

    def reuse(self) -> None:
        """Ctrl+U: attach the offered earlier file to the selected component (no scan, no upload)."""
        offer = self.offers.get(self.current)
        if offer is None:
            return
        comp = self.files_of(self.current)
        comp.tiles.clear()
        comp.changed()
        comp.reused, comp.reused_code = self.services.attachments.reuse(offer, self.current), offer.dossier_code
        self.view.tick(self.current)
        self.refresh()
        self._settled()

    # --- the form is done ---------------------------------------------------------------------
    def clear(self) -> None:
        """After a save, Esc or a new dossier: the files staged and not attached stay orphans, by design."""
        self._epoch += 1
        self.components.clear()
        self.offers.clear()
        self._thumbs.clear()
        self._failed.clear()
        self.current = ""
        self.refresh()

    def keep(self, components: list[str]) -> None:
        """Another procedure was picked: the files of the papers it does not ask for are let go."""
        for name in [n for n in self.components if n not in components]:
            for tile in self.components.pop(name).tiles:
                self._thumbs.pop(tile.id, None)
            self._failed.discard(name)
        self.refresh()
        self._settled()

    # --- what the view shows ------------------------------------------------------------------
    def refresh(self, select: int | None = None) -> None:
        for name, comp in self.components.items():
            self.view.set_component_status(name, self.status(name, comp))
        for name in self.offers:
            if name not in self.components:
                self.view.set_component_status(name, self.status(name, ComponentFiles()))
        comp = self.components.get(self.current) or ComponentFiles()
        tiles = [(t.id, turned(self.thumb(t.id), t.page.rotation if t.page else 0), self._tile_label(i, t))
                 for i, t in enumerate(comp.tiles)]
        offer = self.offers.get(self.current)
        offer_text = "" if offer is None or comp.reused is not None or comp.tiles else self.offer_text(offer)
        if comp.reused is not None:  # no thumbnails: say whose copy it is and how to replace it
            offer_text = tr("Dùng lại bản của hồ sơ {code} ({pages} trang). Bấm F6 để quét bản mới thay thế").format(
                code=comp.reused_code, pages=comp.reused.pages)
        self.view.show_files(self.current, tiles, self.status(self.current, comp), offer_text,
                             offer=offer_text != "" and comp.reused is None)
        if select is not None:
            self.view.select_tile(select)

    def status(self, name: str, comp: ComponentFiles) -> str:
        if comp.reused is not None:
            return tr("Dùng lại · {pages} trang").format(pages=comp.pages)
        if self.scanning and name == self._scan_target:
            return tr("Đang quét… · {pages} trang").format(pages=comp.pages)
        if name in self._failed:
            return tr("Chưa lưu được · {pages} trang").format(pages=comp.pages)
        if comp.staging:
            return tr("Đang lưu… · {pages} trang").format(pages=comp.pages)
        if comp.tiles:
            return tr("Đã số hoá · {pages} trang").format(pages=comp.pages)
        return tr("Có bản cũ (Ctrl+U)") if name in self.offers else ""

    @staticmethod
    def offer_text(offer: AttachmentView) -> str:
        return tr("Dùng lại bản đã số hoá (hồ sơ {code}, ngày {date}, {pages} trang)").format(
            code=offer.dossier_code, date=offer.attachment.added_at.strftime("%d/%m/%Y"),
            pages=offer.attachment.pages)

    @staticmethod
    def _tile_label(index: int, tile: Tile) -> str:
        if tile.pdf is not None:
            return f"{index + 1}. PDF"
        return f"{index + 1}" + (f" ↻{tile.page.rotation}°" if tile.page is not None and tile.page.rotation else "")

    def thumb(self, tile_id: int) -> QImage:
        return self._thumbs.get(tile_id, QImage())

    def _set_scanning(self, scanning: bool) -> None:
        self.scanning = scanning
        self.view.set_scanning(scanning)

    def _error(self, exc: BaseException) -> None:
        self.on_error(error_text(exc))
