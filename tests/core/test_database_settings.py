"""How `DATABASE_URL` becomes Django's database settings: PostgreSQL connections
may prepare the statements that ask for it, and only those."""

from ier.config.settings import base

POSTGRES = "postgres://ier@db.internal:5432/ier"


def test_postgresql_prepares_only_the_statements_that_ask(monkeypatch):
    monkeypatch.setattr(base, "IER_DB_PREPARED_STATEMENTS", True)
    options = base.database_from_url(POSTGRES)["OPTIONS"]
    assert options["prepare_threshold"] == base.PREPARE_ONLY_WHEN_ASKED


def test_turned_off_postgresql_prepares_nothing(monkeypatch):
    """Django's own default: psycopg prepares nothing, even when asked."""
    monkeypatch.setattr(base, "IER_DB_PREPARED_STATEMENTS", False)
    assert "prepare_threshold" not in base.database_from_url(POSTGRES).get(
        "OPTIONS", {}
    )


def test_the_variable_reads_off_and_on(monkeypatch):
    monkeypatch.setenv("IER_DB_PREPARED_STATEMENTS", "off")
    assert base.env_bool("IER_DB_PREPARED_STATEMENTS", True) is False
    monkeypatch.delenv("IER_DB_PREPARED_STATEMENTS")
    assert base.env_bool("IER_DB_PREPARED_STATEMENTS", True) is True


def test_sqlite_is_left_alone():
    options = base.database_from_url("sqlite:///ier.sqlite3")["OPTIONS"]
    assert "prepare_threshold" not in options
    assert options["transaction_mode"] == "IMMEDIATE"
