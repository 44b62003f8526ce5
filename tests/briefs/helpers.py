"""Reading briefs back: their text, page count and attachments, with pypdf."""

from __future__ import annotations

import io
from pathlib import Path

import pypdf


def read_pdf(source: Path | bytes) -> pypdf.PdfReader:
    """A reader over a brief on disk or in memory."""
    data = source.read_bytes() if isinstance(source, Path) else source
    return pypdf.PdfReader(io.BytesIO(data))


def pdf_text(reader: pypdf.PdfReader) -> str:
    """All pages' text, with runs of whitespace made single spaces."""
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def embedded_files(reader: pypdf.PdfReader) -> list[str]:
    """Names of files attached to the document or to its annotations."""
    names = list(reader.attachments)
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            if annotation.get_object().get("/Subtype") == "/FileAttachment":
                names.append("annotation")
    return names
