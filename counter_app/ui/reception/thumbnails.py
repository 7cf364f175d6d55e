"""Thumbnails of scanned pages, made with QImage on the worker that received the page.

QImage (unlike QPixmap) may be built off the GUI thread, so the feeder's pages are shrunk where
they arrive and the GUI thread only draws a 100-pixel image per page.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage, QPainter, QTransform

from counter_app.domain.scanning import PageImage

THUMB_HEIGHT = 84
_FORMATS = {"raw-L": (QImage.Format.Format_Grayscale8, 1), "raw-RGB": (QImage.Format.Format_RGB888, 3)}


def page_image(page: PageImage) -> QImage:
    """The page as a QImage that owns its pixels (the page's bytes may go away)."""
    if page.format in _FORMATS:
        fmt, depth = _FORMATS[page.format]
        return QImage(page.data, page.width, page.height, page.width * depth, fmt).copy()
    if page.format == "raw-1":  # packed bits, 1 = white
        image = QImage(page.data, page.width, page.height, (page.width + 7) // 8, QImage.Format.Format_Mono)
        image.setColorTable([QColor(0, 0, 0).rgb(), QColor(255, 255, 255).rgb()])
        return image.copy()
    return QImage.fromData(page.data)


def thumbnail(page: PageImage, height: int = THUMB_HEIGHT) -> QImage:
    """The page shrunk to ``height`` pixels, upright as it is (its turn is applied when drawn)."""
    image = page_image(page)
    if image.isNull():
        return placeholder("?", height)
    return image.scaledToHeight(height, Qt.TransformationMode.SmoothTransformation)


def turned(image: QImage, rotation: int) -> QImage:
    return image.transformed(QTransform().rotate(rotation)) if rotation else image


def placeholder(text: str, height: int = THUMB_HEIGHT) -> QImage:
    """An A4-shaped tile with ``text`` on it: an imported PDF's pages."""
    image = QImage(int(height / 1.414), height, QImage.Format.Format_RGB32)
    image.fill(QColor(245, 245, 245))
    painter = QPainter(image)
    painter.setPen(QColor(120, 120, 120))
    painter.drawRect(0, 0, image.width() - 1, image.height() - 1)
    painter.setPen(QColor(190, 30, 30))
    font = painter.font()
    font.setBold(True)
    painter.setFont(font)
    painter.drawText(image.rect(), Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, text)
    painter.end()
    return image
