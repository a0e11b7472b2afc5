"""Error pages: short, in the user's language, never a traceback (security.md R31, R46)."""

from __future__ import annotations

import logging

from flask import Flask, current_app, g, jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DisconnectionError, OperationalError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException, InternalServerError, SecurityError

from marketplace.logs import request_id

log = logging.getLogger(__name__)

#: requests under this path get their errors as JSON
API_PREFIX = "/api/"

MESSAGES = {
    400: (
        _l("Something went wrong"),
        _l("The page could not use what was sent. Go back, load the page again and try again."),
    ),
    401: (_l("Please log in"), _l("Log in first; then try again.")),
    403: (_l("You cannot open this page"), _l("Your account does not give access to this page.")),
    404: (_l("Page not found"), _l("This page does not exist, or it is not available to you.")),
    405: (_l("This action is not possible here"), _l("You cannot do this on this page.")),
    409: (
        _l("Someone else changed this at the same time"),
        _l("Your change was not saved. Open the page again to see the latest version."),
    ),
    413: (_l("What you sent is too large"), _l("Send less text or a smaller file, and try again.")),
    429: (_l("Too many attempts"), _l("Please wait a while and try again.")),
    500: (
        _l("Something went wrong on our side"),
        _l("We have noted the problem. Please try again later."),
    ),
    503: (_l("The service is not available right now"), _l("Please try again in a few minutes.")),
}


def render_error(code: int, *, reference: str | None = None, detail: str | None = None):
    """The error page for a status code (JSON for the API)."""
    title, text = MESSAGES.get(code, MESSAGES[500])
    if request.path.startswith(API_PREFIX):
        body = {"status": code, "message": str(title), "detail": str(detail or text)}
        if reference:
            body["reference"] = reference
        return jsonify(error=body), code
    return (
        render_template(
            "errors/error.html", code=code, title=title, text=detail or text, reference=reference
        ),
        code,
    )


def _handle_http(error: HTTPException):
    response = render_error(error.code or 500)
    if error.code == 429 and getattr(error, "retry_after", None):
        return response[0], 429, {"Retry-After": str(error.retry_after)}
    if error.code == 405 and error.valid_methods:
        return response[0], 405, {"Allow": ", ".join(error.valid_methods)}
    return response


def _handle_csrf(error: CSRFError):
    log.warning("csrf_failure path=%s reason=%s", request.path, error.description)
    return render_error(
        400, detail=_l("This form has expired or was sent twice. Reload the page and try again.")
    )


def _handle_server_error(error: InternalServerError):
    original = getattr(error, "original_exception", None)
    if isinstance(original, OperationalError | DisconnectionError):
        return _handle_database_error(original)
    if isinstance(original, StaleDataError):
        return _handle_conflict(original)
    reference = request_id()  # the id on every log line of this request, so both match
    log.error("server_error reference=%s", reference, exc_info=original or error)
    return render_error(500, reference=reference)


def _handle_database_error(error: Exception):
    log.error("database_unavailable: %s", type(error).__name__)
    # The page must not reach the database again: the header asks who is signed in.
    g._login_user = current_app.login_manager.anonymous_user()
    body, code = render_error(503)
    return body, code, {"Retry-After": "30"}


def _handle_conflict(_error: StaleDataError):
    """Two people saved the same record at once: the second is told, nothing is overwritten."""
    log.info("edit_conflict")
    return render_error(409)


def _handle_untrusted_host(_error: SecurityError):
    """An untrusted Host header: no URL can be built for it, so answer without a template."""
    return "Bad Request", 400, {"Content-Type": "text/plain; charset=utf-8"}


def init_app(app: Flask) -> None:
    app.register_error_handler(CSRFError, _handle_csrf)
    app.register_error_handler(SecurityError, _handle_untrusted_host)
    app.register_error_handler(InternalServerError, _handle_server_error)
    app.register_error_handler(OperationalError, _handle_database_error)
    app.register_error_handler(DisconnectionError, _handle_database_error)
    app.register_error_handler(StaleDataError, _handle_conflict)
    app.register_error_handler(HTTPException, _handle_http)
