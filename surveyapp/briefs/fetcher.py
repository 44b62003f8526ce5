"""The only way the PDF renderer may fetch anything: the package's own static assets.

WeasyPrint's default fetcher follows file:, http(s):, ftp: and data: URLs. A brief carries
respondent text, so the renderer gets a fetcher that knows one private scheme naming files of
`surveyapp/briefs/static/` and refuses every other URL before any file is opened or any
connection is made (docs/security.md, A1).
"""

from __future__ import annotations

import logging
import mimetypes
import warnings
from pathlib import Path

with warnings.catch_warnings():
    # WeasyPrint warns at import when the optional HarfBuzz-subset library is missing; it then
    # subsets fonts with fontTools, which the small shipped fonts (static/fonts) are cut for.
    warnings.filterwarnings("ignore", "HarfBuzz-Subset", DeprecationWarning)
    from weasyprint.urls import URLFetcher, URLFetcherResponse

logging.getLogger("weasyprint").addFilter(lambda record: "HarfBuzz-Subset" not in record.msg)

STATIC_DIR = Path(__file__).resolve().parent / "static"
STATIC_SCHEME = "surveyapp-static:"
SERVED_SUFFIXES = frozenset({".css", ".ttf"})


class RefusedURL(ValueError):
    """A URL the brief renderer will not fetch."""


class StaticAssetFetcher(URLFetcher):
    """Serves `surveyapp-static:NAME` from the static folder and refuses everything else.

    Every refused URL is kept in `refused`, so a test can see what a document asked for.
    """

    def __init__(self) -> None:
        super().__init__(allowed_protocols=(), allow_redirects=False, fail_on_errors=False)
        self.refused: list[str] = []

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        """The asset `url` names, read from the package; any other URL raises RefusedURL."""
        path = static_path(url)
        if path is None:
            self.refused.append(url)
            raise RefusedURL(f"the brief renderer does not fetch {url[:80]!r}")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})


def static_path(url: str) -> Path | None:
    """The static file a `surveyapp-static:` URL names, or None for any other URL."""
    if not url.startswith(STATIC_SCHEME):
        return None
    path = (STATIC_DIR / url[len(STATIC_SCHEME) :]).resolve()
    if not path.is_relative_to(STATIC_DIR) or path.suffix not in SERVED_SUFFIXES:
        return None
    return path if path.is_file() else None
