"""Backups taken while rows are written restore whole, checked, encrypted and pruned (R45)."""

from __future__ import annotations

import tarfile
import time
from datetime import date
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from sqlalchemy.orm import Session

from config import ProductionConfig
from marketplace import create_app, migrate
from marketplace.audit.services import verify_chain
from marketplace.backup import crypto
from marketplace.backup import postgres as backup_postgres
from marketplace.backup import sqlite as backup_sqlite
from marketplace.backup.services import prune_backups
from tests.conftest import make_test_app, production_settings
from tests.postgres import migrated_postgres_app
from tests.reliability.backup_helpers import (
    RESTORE_SECONDS_LIMIT,
    WRITES_DURING_BACKUP,
    AuditWriter,
    audit_fingerprint,
    copy_database,
    file_digest,
    fresh_postgres_database,
    integrity_check,
    read_manifest,
    record_writes_during_backup,
    restore_seconds,
    revisions,
    rewrite_manifest,
    seed,
    split_tokens,
    table_counts,
)


def sqlite_app(tmp_path: Path, name: str, **overrides):
    return make_test_app(
        f"sqlite:///{tmp_path / name}",
        tmp_path / name.split(".")[0],
        BACKUP_DIR=str(tmp_path / "backups"),
        **overrides,
    )


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    """A migrated SQLite file with a few places and audit events, made once per module."""
    folder = tmp_path_factory.mktemp("backup-template")
    app = sqlite_app(folder, "template.sqlite3")
    with app.app_context():
        migrate.upgrade()
    engine = app.extensions["db"].engine
    seed(engine)
    writer = AuditWriter(engine)
    writer.start()
    writer.wait_for(10)
    writer.stop()
    engine.dispose()
    return folder / "template.sqlite3"


@pytest.fixture
def source(template, tmp_path):
    """The app on a copy of the template database."""
    copy_database(template, tmp_path / "source.sqlite3")
    app = sqlite_app(tmp_path, "source.sqlite3")
    yield app
    app.extensions["db"].engine.dispose()


def create(app) -> Path:
    result = app.test_cli_runner().invoke(args=["backup", "create"])
    assert result.exit_code == 0, result.output
    return Path(result.output.split(": ")[-1].split(" (")[0])


def create_while_writing(app, monkeypatch, module) -> tuple[Path, tuple]:
    """A backup made while a writer commits audit rows, and the database's count, last id and
    digest at the moment the backup's snapshot was taken."""
    writer = AuditWriter(app.extensions["db"].engine)
    taken = record_writes_during_backup(monkeypatch, module, writer)
    writer.start()
    try:
        writer.wait_for(5)
        backup = create(app)
        writer.wait_for(5)
    finally:
        writer.stop()
    [moment] = taken
    return backup, moment


def test_a_sqlite_backup_taken_while_rows_are_written_restores_that_moment(
    source, tmp_path, monkeypatch
):
    engine = source.extensions["db"].engine
    backup, (count, last_id, digest) = create_while_writing(source, monkeypatch, backup_sqlite)
    with engine.connect() as conn:
        assert audit_fingerprint(conn)[0] >= count + WRITES_DURING_BACKUP  # written meanwhile

    target = sqlite_app(tmp_path, "restored.sqlite3")
    started = time.perf_counter()
    result = target.test_cli_runner().invoke(args=["backup", "restore", str(backup)])
    elapsed = time.perf_counter() - started
    assert result.exit_code == 0, result.output
    assert "Integrity check: ok" in result.output
    assert "flask search rebuild" in result.output
    assert restore_seconds(result.output) < RESTORE_SECONDS_LIMIT
    assert elapsed < RESTORE_SECONDS_LIMIT

    restored = target.extensions["db"].engine
    assert integrity_check(tmp_path / "restored.sqlite3") == ["ok"]
    current, head = revisions(restored)
    assert current == head
    with restored.connect() as conn:
        assert audit_fingerprint(conn) == (count, last_id, digest)  # not one row more or less
    assert table_counts(restored) == read_manifest(backup)["tables"]
    with Session(restored) as session:
        assert verify_chain(session) == []
    assert target.test_client().get("/healthz").status_code == 200
    restored.dispose()


def test_restore_refuses_a_database_that_holds_data_unless_forced(source, tmp_path):
    backup = create(source)
    database = tmp_path / "source.sqlite3"
    source.extensions["db"].engine.dispose()
    before = file_digest(database)
    runner = source.test_cli_runner()
    refused = runner.invoke(args=["backup", "restore", str(backup)])
    assert refused.exit_code == 1
    assert "holds data" in refused.output and "--force" in refused.output
    assert file_digest(database) == before

    forced = runner.invoke(args=["backup", "restore", str(backup), "--force"])
    assert forced.exit_code == 0, forced.output
    assert "checksum match" in forced.output


def test_restore_reports_rows_that_differ_from_the_manifest(source, tmp_path):
    backup = create(source)
    lying = tmp_path / "copies" / backup.name
    lying.parent.mkdir()
    rewrite_manifest(backup, lying, lambda m: m["tables"].update(audit_event=1))
    target = sqlite_app(tmp_path, "restored.sqlite3")
    result = target.test_cli_runner().invoke(args=["backup", "restore", str(lying)])
    assert result.exit_code == 1
    assert "Does not match: table audit_event" in result.output
    assert "checksum" not in result.output  # the rows themselves are what was backed up


def test_an_encrypted_backup_needs_its_key(source, tmp_path):
    key, wrong = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    source.config["BACKUP_ENCRYPTION_KEY"] = key
    backup = create(source)
    assert backup.name.endswith(".tar.gz.fernet")
    with pytest.raises(tarfile.ReadError), tarfile.open(backup):
        pass  # neither tar nor gzip can read it

    target_file = tmp_path / "target.sqlite3"
    for given, message in ((None, "is encrypted"), (wrong, "not the key")):
        target = sqlite_app(tmp_path, "target.sqlite3", BACKUP_ENCRYPTION_KEY=given)
        result = target.test_cli_runner().invoke(args=["backup", "restore", str(backup)])
        assert result.exit_code == 1
        assert message in result.output and "Traceback" not in result.output
        assert not target_file.exists()  # nothing was written

    damaged = tmp_path / backup.name
    data = bytearray(backup.read_bytes())
    data[len(data) // 2] ^= 0x01
    damaged.write_bytes(bytes(data))
    target = sqlite_app(tmp_path, "target.sqlite3", BACKUP_ENCRYPTION_KEY=key)
    result = target.test_cli_runner().invoke(args=["backup", "restore", str(damaged)])
    assert result.exit_code == 1 and "altered" in result.output
    assert not target_file.exists()

    restore = ["backup", "restore", str(backup), "--rebuild-search"]
    result = target.test_cli_runner().invoke(args=restore)
    assert result.exit_code == 0, result.output
    assert integrity_check(target_file) == ["ok"]
    assert "Indexed 0 public places (of 0 published)" in result.output  # the seed is drafts


def test_a_backup_cut_short_or_reordered_is_refused(source, tmp_path, monkeypatch):
    monkeypatch.setattr(crypto, "CHUNK", 2048)  # several encrypted parts for a small database
    key = Fernet.generate_key().decode()
    source.config["BACKUP_ENCRYPTION_KEY"] = key
    backup = create(source)
    parts = split_tokens(backup.read_bytes(), crypto.MAGIC)
    assert len(parts) >= 3
    target = sqlite_app(tmp_path, "target.sqlite3", BACKUP_ENCRYPTION_KEY=key)
    broken = {
        "cut off": parts[:-1],
        "out of order": [parts[0], parts[2], parts[1], *parts[3:]],
    }
    for message, kept in broken.items():
        damaged = tmp_path / backup.name
        damaged.write_bytes(crypto.MAGIC + b"".join(kept))
        result = target.test_cli_runner().invoke(args=["backup", "restore", str(damaged)])
        assert result.exit_code == 1 and message in result.output, result.output
        assert not (tmp_path / "target.sqlite3").exists()


def test_production_refuses_to_write_a_plaintext_backup(source, tmp_path):
    settings = dict(source.config)
    production = create_app(
        ProductionConfig,
        **production_settings(
            DATABASE_URL=settings["DATABASE_URL"],
            SEARCH_INDEX_DIR=settings["SEARCH_INDEX_DIR"],
            MAIL_OUTBOX_DIR=settings["MAIL_OUTBOX_DIR"],
            BACKUP_DIR=str(tmp_path / "production-backups"),
            BACKUP_ENCRYPTION_KEY=None,
        ),
    )
    result = production.test_cli_runner().invoke(args=["backup", "create"])
    assert result.exit_code == 1
    assert "must be encrypted" in result.output
    assert not any((tmp_path / "production-backups").glob("*"))

    production.config["BACKUP_ENCRYPTION_KEY"] = Fernet.generate_key().decode()
    assert create(production).name.endswith(".fernet")
    production.extensions["db"].engine.dispose()


def test_prune_deletes_only_backups_past_the_retention_period(tmp_path):
    folder = tmp_path / "backups"
    folder.mkdir()
    names = {
        "old": "marketplace-20260101T020000Z-0008.tar.gz.fernet",
        "kept": "marketplace-20260120T020000Z-0008.tar.gz.fernet",
        "newest": "marketplace-20260210T020000Z-0008.tar.gz",
        "other": "notes.txt",
        "partial": "marketplace-20251201T020000Z-0008.tar.gz.partial",
    }
    for name in names.values():
        (folder / name).write_bytes(b"x")

    deleted = prune_backups(folder, keep_days=30, today=date(2026, 2, 15))
    assert [path.name for path in deleted] == [names["old"]]
    left = {path.name for path in folder.iterdir()}
    assert left == {names["kept"], names["newest"], names["other"], names["partial"]}

    app = sqlite_app(tmp_path, "unused.sqlite3", FIXED_TODAY="2027-01-01", BACKUP_KEEP_DAYS=30)
    result = app.test_cli_runner().invoke(args=["backup", "prune"])
    assert result.exit_code == 0, result.output
    assert "Deleted 1 backups older than 30 days" in result.output  # never the newest one
    assert {path.name for path in folder.iterdir()} == left - {names["kept"]}


@pytest.mark.postgres
def test_a_postgres_backup_taken_while_rows_are_written_restores_that_moment(tmp_path, monkeypatch):
    key = Fernet.generate_key().decode()
    with migrated_postgres_app(tmp_path) as app:
        app.config.update(BACKUP_DIR=str(tmp_path / "backups"), BACKUP_ENCRYPTION_KEY=key)
        engine = app.extensions["db"].engine
        seed(engine)
        backup, (count, last_id, digest) = create_while_writing(app, monkeypatch, backup_postgres)
        with engine.connect() as conn:
            assert audit_fingerprint(conn)[0] >= count + WRITES_DURING_BACKUP
        with fresh_postgres_database(engine) as target_url:
            check_postgres_restore(tmp_path, target_url, key, backup, (count, last_id, digest))


def check_postgres_restore(tmp_path, target_url, key, backup, fingerprint):
    target = make_test_app(target_url, tmp_path / "target", BACKUP_ENCRYPTION_KEY=key)
    restored = target.extensions["db"].engine
    try:
        runner = target.test_cli_runner()
        started = time.perf_counter()
        result = runner.invoke(args=["backup", "restore", str(backup)])
        elapsed = time.perf_counter() - started
        assert result.exit_code == 0, result.output
        assert "pg_restore exit 0" in result.output and "checksum match" in result.output
        assert restore_seconds(result.output) < RESTORE_SECONDS_LIMIT
        assert elapsed < RESTORE_SECONDS_LIMIT
        current, head = revisions(restored)
        assert current == head
        with restored.connect() as conn:
            assert audit_fingerprint(conn) == fingerprint
        with Session(restored) as session:
            assert verify_chain(session) == []
        assert target.test_client().get("/healthz").status_code == 200

        again = runner.invoke(args=["backup", "restore", str(backup)])
        assert again.exit_code == 1 and "holds data" in again.output
        with restored.connect() as conn:
            assert audit_fingerprint(conn) == fingerprint  # the refused restore added nothing
    finally:
        restored.dispose()
