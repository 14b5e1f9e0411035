"""The pure parts of the personal web pages: the Content Security Policy, signatures kept
to their purpose, the CSRF token bound to its session, and the gallery's paging cursor
and search pattern."""

from __future__ import annotations

from datetime import UTC, datetime

from adapters.web.security import Signer, content_security_policy, origin_of, page_headers
from core.jobs.gallery import decode_cursor, encode_cursor, like_pattern


def test_the_policy_allows_nothing_but_our_styles_and_the_image_origins():
    csp = content_security_policy(["https://images.example", "https://images.example"])
    assert csp == (
        "default-src 'none'; img-src 'self' https://images.example; style-src 'self'; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    )
    headers = page_headers()
    assert headers["Referrer-Policy"] == "no-referrer"
    assert headers["Cache-Control"] == "no-store"
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_origins_of_links():
    assert origin_of("https://r2.example:8443/images/1.png?sig=x") == "https://r2.example:8443"
    assert origin_of("/media/images/1.png") is None
    assert origin_of("javascript:alert(1)") is None


def test_a_signature_is_good_only_for_its_purpose_and_secret():
    signer = Signer(b"secret-one")
    signature = signer.sign("session:x", "42")
    assert signer.verify("session:x", "42", signature)
    assert not signer.verify("csrf", "42", signature)
    assert not signer.verify("session:x", "43", signature)
    assert not Signer(b"secret-two").verify("session:x", "42", signature)


def test_the_csrf_token_is_bound_to_its_session():
    signer = Signer(b"secret")
    token = signer.csrf_token("42.abc")
    assert signer.csrf_ok("42.abc", token)
    assert not signer.csrf_ok("43.abc", token)
    assert not signer.csrf_ok("42.abc", None)
    assert not signer.csrf_ok("42.abc", "")


def test_a_cursor_round_trips_to_the_microsecond_and_garbage_is_ignored():
    at = datetime(2026, 12, 6, 5, 4, 3, 210987, tzinfo=UTC)
    assert decode_cursor(encode_cursor(at, "abc123")) == (at, "abc123")
    for bad in ("", "x.abc", "123.", "-5.abc", "1" * 30 + ".abc", "12." + "a" * 25):
        assert decode_cursor(bad) is None


def test_search_wildcards_are_escaped():
    assert like_pattern("50%_off\\") == "%50\\%\\_off\\\\%"
    assert like_pattern("FOX") == "%fox%"
