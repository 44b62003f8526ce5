"""A file handed to a signed-in reader as an attachment, by the staff area and the API alike.

Nothing here sets caching: the app's after-request hook keeps every staff and API response out
of caches (no-store), and these files (briefs, links, codes, exports) are why it does.
"""

from __future__ import annotations

from flask import Response, current_app


def private_download(body: bytes, mimetype: str, filename: str) -> Response:
    """`body` as an attachment named `filename`."""
    response = current_app.response_class(body, mimetype=mimetype)
    response.headers.set("Content-Disposition", "attachment", filename=filename)
    return response
