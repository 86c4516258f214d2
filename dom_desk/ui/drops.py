"""Files dragged onto a window: the main window and the import dialog read them alike."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QDragEnterEvent, QDropEvent


def dropped_paths(event: QDragEnterEvent | QDropEvent) -> list[Path]:
    """Local files and folders in a drag, or nothing if it carries anything else."""
    mime = event.mimeData()
    if not mime.hasUrls():
        return []
    paths = [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]
    return paths if len(paths) == len(mime.urls()) else []
