"""`ier check --deploy` catches security settings that would fail in service."""

from datetime import UTC, datetime, timedelta

from ier.core.checks.security import security_settings


def ids(settings_problems) -> set[str]:
    return {problem.id for problem in settings_problems}


def test_good_settings_pass(settings, tmp_path):
    settings.RUN_DIR = tmp_path / "run"
    settings.SECURITY_CONTACT = "mailto:security@council.example"
    settings.SECURITY_TXT_EXPIRES = (
        datetime.now(UTC) + timedelta(days=200)
    ).isoformat()
    assert security_settings() == []


def test_a_broken_field_key_is_an_error(settings):
    settings.FIELD_ENCRYPTION_KEYS = ["not-a-key"]
    assert "ier.security.E001" in ids(security_settings())


def test_an_expired_or_far_security_txt_is_flagged(settings):
    settings.SECURITY_TXT_EXPIRES = "2020-01-01T00:00:00Z"
    assert "ier.security.W002" in ids(security_settings())
    settings.SECURITY_TXT_EXPIRES = "2099-01-01T00:00:00Z"
    assert "ier.security.W003" in ids(security_settings())
    settings.SECURITY_TXT_EXPIRES = "next year"
    assert "ier.security.W001" in ids(security_settings())


def test_the_placeholder_contact_is_flagged(settings):
    settings.SECURITY_CONTACT = "mailto:security@example.invalid"
    assert "ier.security.W004" in ids(security_settings())


def test_a_run_directory_that_is_a_symlink_is_an_error(settings, tmp_path):
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "run").symlink_to(tmp_path / "elsewhere")
    settings.RUN_DIR = tmp_path / "run"
    assert "ier.security.E002" in ids(security_settings())


def test_a_run_directory_that_cannot_be_made_is_an_error(settings, tmp_path):
    (tmp_path / "file").write_text("in the way")
    settings.RUN_DIR = tmp_path / "file" / "run"
    assert "ier.security.E002" in ids(security_settings())
