"""One transaction per request, committed in one place.

A request that ends with a response below 400 is committed after the view; anything else
(an error status or an exception) is rolled back. Work that needs the data to be durable
(e-mail, the search index) listens for the session's ``after_commit`` event.
"""

from __future__ import annotations

from flask import Flask, Response, g


def init_app(app: Flask) -> None:
    """Commit the request's session after a successful response."""

    @app.after_request
    def _commit(response: Response) -> Response:
        session = g.get("db_session")
        if session is None:
            return response
        if response.status_code < 400 or g.pop("commit_despite_error", False):
            session.commit()
        else:
            session.rollback()
        return response


def commit_despite_error() -> None:
    """Keep this request's writes although it answers with an error (e.g. an audit row on a 429)."""
    g.commit_despite_error = True
