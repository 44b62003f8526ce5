"""The README's screenshots, taken by the browser tests when SURVEYAPP_SCREENSHOTS names a folder.

The pictures come from the same pages the tests check, so they show what the app really
serves; without the variable the step does nothing and the tests run as they always do.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

from PIL import Image
from playwright.sync_api import Page

COLOURS = 256  # a palette PNG of a flat interface stays sharp at a fraction of the size


def screenshot(page: Page, name: str, full_page: bool = False) -> Path | None:
    """Save the page as `<SURVEYAPP_SCREENSHOTS>/<name>.png` when the variable is set."""
    folder = os.environ.get("SURVEYAPP_SCREENSHOTS", "").strip()
    if not folder:
        return None
    target = Path(folder) / f"{name}.png"
    target.parent.mkdir(parents=True, exist_ok=True)
    picture = Image.open(io.BytesIO(page.screenshot(full_page=full_page, animations="disabled")))
    picture.convert("RGB").quantize(COLOURS).save(target, optimize=True)
    return target


PHONE = {"width": 390, "height": 844}


CHECKED = """() => Object.fromEntries(
  [...document.querySelectorAll("input[type=radio]:checked")].map((e) => [e.name, e.value]))"""
