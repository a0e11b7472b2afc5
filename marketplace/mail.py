"""Outgoing e-mail, sent only after the database commit, in the recipient's language.

``queue_mail`` renders the message now (in the recipient's language) and parks it on the
database session; the session's ``after_commit`` event sends it, and a rollback drops it.
Without MAIL_SERVER the messages are written as .eml files under MAIL_OUTBOX_DIR.
"""

from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage
from pathlib import Path

from flask import Flask, current_app, render_template
from flask_babel import force_locale
from sqlalchemy import event
from sqlalchemy.orm import Session

from marketplace.db import utcnow

log = logging.getLogger(__name__)
PENDING_KEY = "pending_mail"


def queue_mail(dbs: Session, to: str, language: str, template: str, **context) -> EmailMessage:
    """Render an e-mail in the recipient's language and send it once the transaction commits."""
    with force_locale(language):
        subject = render_template(f"mail/{template}.subject.txt", **context).strip()
        body = render_template(f"mail/{template}.txt", **context)
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_SENDER"]
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    message["Content-Language"] = language  # after set_content, which clears Content-* headers
    dbs.info.setdefault(PENDING_KEY, []).append(message)
    return message


def _deliver(config: dict, message: EmailMessage) -> None:
    if config.get("MAIL_SERVER"):
        with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=10) as smtp:
            if config.get("MAIL_USE_TLS"):
                smtp.starttls()
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
            smtp.send_message(message)
        return
    folder = Path(config["MAIL_OUTBOX_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    stamp = utcnow().strftime("%Y%m%dT%H%M%S%f")
    (folder / f"{stamp}.eml").write_bytes(bytes(message))


def _after_commit(dbs: Session) -> None:
    messages = dbs.info.pop(PENDING_KEY, [])
    if not messages:
        return
    config = current_app.config
    for message in messages:
        try:
            _deliver(config, message)
            current_app.extensions["sent_mail"].append(message)
        except OSError:
            log.exception("mail_delivery_failed")


def _after_rollback(dbs: Session, previous_transaction) -> None:
    if previous_transaction.parent is None:  # the whole transaction, not a savepoint within it
        dbs.info.pop(PENDING_KEY, None)


def init_app(app: Flask) -> None:
    """Send parked messages after a commit; drop them after a rollback."""
    app.extensions["sent_mail"] = []  # what was delivered, for tests and the development log
    for name, listener in (
        ("after_commit", _after_commit),
        ("after_soft_rollback", _after_rollback),
    ):
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)
