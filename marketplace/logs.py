"""Structured logs: one JSON object per line, so no input can forge a line (security.md R40).

Every record becomes one line: control characters, quotes and non-ASCII text are escaped by
the JSON encoder. Records made during a request also carry the request's id, method, route
(the path as its rule reads, so no token, query or name), the signed-in user's id and a
pseudonym of the internet address; never a name, an e-mail address, a password or a cookie.
Each request ends with one access line (``event: "request"``) with its status and duration.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid
from datetime import UTC, datetime
from typing import Any, TextIO

import sqlalchemy as sa
from flask import Flask, Response, g, has_request_context, request
from flask.logging import default_handler

#: the attributes every LogRecord has; anything else on a record came through ``extra=``
_STANDARD = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {
    "message",
    "asctime",
    "taskName",
}
#: a message that starts with an event name, e.g. "csrf_failure path=/x" or "edit_conflict"
_EVENT_NAME = re.compile(r"^([a-z][a-z0-9]*(?:_[a-z0-9]+)+)\b")

access_log = logging.getLogger("marketplace.access")


def request_id() -> str | None:
    """This request's id (made on first use), to find all lines of one request."""
    if not has_request_context():
        return None
    if "request_id" not in g:
        g.request_id = uuid.uuid4().hex[:16]
    return g.request_id


def route_path() -> str:
    """The path as its route reads, e.g. ``/password/reset/<token>``: a token, a search or a
    name in the URL never reaches the log. A path no route matched is cut to 200 characters."""
    rule = request.url_rule
    return rule.rule if rule is not None else request.path[:200]


def _actor_id() -> int | None:
    """The signed-in user's id, if this request loaded one; never loads it (no query)."""
    user = g.get("_login_user")
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    state = sa.inspect(user, raiseerr=False)
    if state is not None:  # the identity survives a rollback; reading .id could query
        return state.identity[0] if state.identity else None
    return getattr(user, "id", None)


def request_fields() -> dict[str, Any]:
    """What a line made during a request says about it (no personal data)."""
    if not has_request_context():
        return {}
    from marketplace.audit.services import ip_pseudonym

    return {
        "request_id": request_id(),
        "method": request.method,
        "path": route_path(),
        "endpoint": request.endpoint,
        "actor": _actor_id(),
        "origin": ip_pseudonym(request.remote_addr),
    }


class JsonFormatter(logging.Formatter):
    """A record as one line of JSON: time (UTC), level, logger, message, event and fields."""

    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": message,
        }
        extra = {k: v for k, v in vars(record).items() if k not in _STANDARD}
        context = extra.pop("request_fields", None) or {}
        for fields in (_message_fields(message), extra, context):
            for key, value in fields.items():
                entry.setdefault(key, value)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=True, default=str, separators=(",", ":"))


def _message_fields(message: str) -> dict[str, Any]:
    """The event a message names: a JSON object's fields, or its leading event name."""
    if message.startswith("{"):
        try:
            fields = json.loads(message)
        except ValueError:
            fields = None
        if isinstance(fields, dict):
            return fields
    found = _EVENT_NAME.match(message)
    return {"event": found.group(1)} if found else {}


class RequestContextFilter(logging.Filter):
    """Attach the request's fields to each record while the request is handled."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_fields"):
            try:
                record.request_fields = request_fields()
            except Exception:  # noqa: BLE001  (logging must never break the request)
                record.request_fields = {}
        return True


def install_json_logging(level: str = "INFO", stream: TextIO | None = None) -> logging.Handler:
    """Send every record to one JSON handler on the root logger (once per process)."""
    root = logging.getLogger()
    for handler in root.handlers:
        if isinstance(handler.formatter, JsonFormatter):
            return handler
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestContextFilter())
    root.addHandler(handler)
    app_logger = logging.getLogger("marketplace")
    app_logger.removeHandler(default_handler)  # Flask's plain-text handler would repeat lines
    wanted = logging.getLevelName(level.upper())
    if not app_logger.level or app_logger.level > wanted:
        app_logger.setLevel(wanted)
    return handler


def _start_clock() -> None:
    g.request_started = time.perf_counter()


def _log_request(response: Response) -> Response:
    started = g.get("request_started")
    duration = round((time.perf_counter() - started) * 1000, 1) if started else None
    ids = {k: v for k, v in (request.view_args or {}).items() if isinstance(v, int)}
    access_log.info(
        "%s %s %s",
        request.method,
        route_path(),
        response.status_code,
        extra={
            "event": "request",
            "status": response.status_code,
            "duration_ms": duration,
            "object": ids or None,
        },
    )
    return response


def init_app(app: Flask) -> None:
    """Time each request and log it; JSON lines unless LOG_FORMAT is "text" (tests: text)."""
    app.before_request(_start_clock)
    app.after_request(_log_request)
    wanted = app.config.get("LOG_FORMAT") or ("text" if app.config.get("TESTING") else "json")
    if wanted == "json":
        install_json_logging(app.config.get("LOG_LEVEL") or "INFO")
