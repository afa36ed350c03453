"""/.well-known/security.txt as RFC 9116 asks: a contact URI, an expiry that has not
passed, and the file's own canonical address."""

from datetime import UTC, datetime


def fields(response) -> dict[str, str]:
    lines = response.content.decode().splitlines()
    return dict(line.split(": ", 1) for line in lines if line)


def test_security_txt_names_a_contact_and_an_expiry_in_the_future(client, settings):
    settings.SECURITY_CONTACT = "mailto:report@example.org"
    settings.SECURITY_TXT_EXPIRES = "2099-01-01T00:00:00Z"
    response = client.get("/.well-known/security.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    found = fields(response)
    assert found["Contact"] == "mailto:report@example.org"
    assert found["Expires"] == "2099-01-01T00:00:00Z"
    assert found["Canonical"] == "http://testserver/.well-known/security.txt"
    assert "Policy" not in found


def test_the_default_expiry_is_a_valid_date_still_to_come(client):
    expires = fields(client.get("/.well-known/security.txt"))["Expires"]
    when = datetime.fromisoformat(expires.replace("Z", "+00:00"))
    assert when.tzinfo is not None
    assert when > datetime.now(UTC)


def test_a_bare_email_address_becomes_a_mailto_uri(client, settings):
    settings.SECURITY_CONTACT = "security@example.org"
    settings.SECURITY_POLICY_URL = "https://example.org/disclosure"
    found = fields(client.get("/.well-known/security.txt"))
    assert found["Contact"] == "mailto:security@example.org"
    assert found["Policy"] == "https://example.org/disclosure"
