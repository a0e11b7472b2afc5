"""Writing the audit log: append-only rows, each chained to the previous by a hash."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import logging
from typing import Any

import sqlalchemy as sa
from flask import current_app, has_app_context
from sqlalchemy.orm import Session

from marketplace.audit.models import AuditEvent
from marketplace.db import utcnow

log = logging.getLogger("marketplace.audit")


#: the PostgreSQL advisory lock that orders writers of the hash chain
CHAIN_LOCK = 40_0040


def _digest(prev_hash: str | None, fields: dict[str, Any]) -> str:
    payload = json.dumps({"prev": prev_hash, **fields}, sort_keys=True, default=str)
    return hashlib.sha256(payload.encode()).hexdigest()


def ip_pseudonym(ip: str | None) -> str | None:
    """What the log stores instead of an internet address: a keyed hash (HMAC-SHA256), so the
    same address gives the same pseudonym and whoever holds the key can check a known one."""
    config = current_app.config if has_app_context() else {}
    secret = config.get("AUDIT_IP_KEY") or config.get("SECRET_KEY")
    if not ip or not secret:
        return None  # no key, no address: the log never holds a raw one
    if not config.get("AUDIT_IP_KEY"):  # a key of its own, derived from SECRET_KEY
        secret = hmac.new(secret.encode(), b"audit-ip-pseudonym", hashlib.sha256).hexdigest()
    try:
        ip = ipaddress.ip_address(ip.strip()).compressed
    except ValueError:
        ip = ip.strip()
    return "ip:" + hmac.new(secret.encode(), ip.encode(), hashlib.sha256).hexdigest()[:32]


def _fields(event: AuditEvent, with_origin: bool = True) -> dict[str, Any]:
    """What a row's hash covers. Rows written before the role and the address's pseudonym were
    covered (``with_origin=False``) still verify, but only before the first row that has them."""
    fields = {
        "at": event.at.isoformat(),
        "action": event.action,
        "actor_id": event.actor_id,
        "subject_user_id": event.subject_user_id,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "result": event.result,
        "detail": event.detail,
    }
    if with_origin:
        fields |= {"actor_role": event.actor_role, "ip": event.ip}
    return fields


def record_event(
    dbs: Session,
    action: str,
    *,
    actor: Any = None,
    subject_user_id: int | None = None,
    obj: Any = None,
    result: str = "success",
    ip: str | None = None,
    **detail: Any,
) -> AuditEvent:
    """Append an audit event in the caller's transaction."""
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    if dbs.get_bind().dialect.name == "postgresql":
        # one writer of the chain at a time, until its transaction ends: two requests must not
        # both chain to the same previous row (SQLite write transactions are serial already)
        dbs.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": CHAIN_LOCK})
    previous = dbs.scalar(sa.select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1))
    event = AuditEvent(
        at=utcnow().replace(microsecond=0),
        action=action,
        actor_id=actor.id if authenticated else None,
        actor_role=str(actor.role) if authenticated else None,
        subject_user_id=subject_user_id,
        object_type=type(obj).__name__.lower() if obj is not None else None,
        object_id=getattr(obj, "id", None),
        result=result,
        ip=ip_pseudonym(ip),
        detail=detail,
        prev_hash=previous,
    )
    event.hash = _digest(previous, _fields(event))
    dbs.add(event)
    log.info(
        json.dumps(
            {
                "event": action,
                "actor": event.actor_id,
                "result": result,
                "object": event.object_type,
                "object_id": event.object_id,
            }
        )
    )
    return event


def verify_chain(dbs: Session) -> list[int]:
    """The ids of audit events whose hash does not match their content or chain."""
    broken: list[int] = []
    previous: str | None = None
    older_rows_allowed = True  # until the first row whose hash covers its origin
    for event in dbs.scalars(sa.select(AuditEvent).order_by(AuditEvent.id)):
        if event.hash == _digest(previous, _fields(event)):
            older_rows_allowed = False
            intact = True
        else:
            intact = older_rows_allowed and event.hash == _digest(previous, _fields(event, False))
        if event.prev_hash != previous or not intact:
            broken.append(event.id)
        previous = event.hash
    return broken
