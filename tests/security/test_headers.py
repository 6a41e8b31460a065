"""Security headers, a strict Content-Security-Policy that the pages obey, no stack traces."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
from django.urls import path, reverse

pytestmark = pytest.mark.django_db

PAGES = ["/", "/conditions/", "/providers/", "/search/?q=neck", "/accounts/login/", "/api/docs"]
INLINE_SCRIPT = re.compile(rb"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>")


def _directives(response) -> dict[str, str]:
    policy = response["Content-Security-Policy"]
    return {
        part.strip().split(" ", 1)[0]: part.strip().partition(" ")[2]
        for part in policy.split(";")
        if part.strip()
    }


@pytest.mark.parametrize("url", PAGES)
def test_pages_carry_the_security_headers(client, demo_data, url):
    response = client.get(url)
    assert response.status_code == 200
    csp = _directives(response)
    assert csp["default-src"] == "'self'"
    assert csp["script-src"] == "'self'"
    assert csp["style-src"] == "'self'"
    assert csp["frame-ancestors"] == "'none'"
    assert csp["object-src"] == "'none'"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.parametrize("url", PAGES)
def test_pages_need_no_inline_script_or_style(client, demo_data, url):
    """What the policy forbids must not be in the markup, or the page breaks for real users."""
    html = client.get(url).content
    assert not INLINE_SCRIPT.search(html), INLINE_SCRIPT.search(html)
    assert b"<style" not in html
    assert b" style=" not in html
    assert b"cdn." not in html  # Swagger UI is served from our static files


def test_back_office_obeys_the_policy_too(client, login_staff, administrator, demo_data):
    login_staff(administrator)
    for url in ["/admin/", "/admin/patients/patient/", "/audit/", "/accounts/security/"]:
        html = client.get(url).content
        assert not INLINE_SCRIPT.search(html), url
        assert b"<style" not in html, url


def test_error_pages_have_no_inline_style(client, settings):
    from django.template.loader import render_to_string

    for template in ["500.html", "400.html"]:
        html = render_to_string(template)
        assert "<style" not in html and " style=" not in html, template


def _boom(request):
    raise RuntimeError("secret internals: /srv/collis/settings.py line 42")


def _forbidden(request):
    from django.core.exceptions import PermissionDenied

    raise PermissionDenied


def _bad(request):
    from django.core.exceptions import SuspiciousOperation

    raise SuspiciousOperation("tampered")


urlpatterns = [
    path("boom/", _boom),
    path("forbidden/", _forbidden),
    path("bad/", _bad),
]


@pytest.fixture
def error_urls(settings):
    from collis import urls as site_urls

    settings.DEBUG = False
    settings.ROOT_URLCONF = __name__
    # Keep the site's error handlers and named URLs (the error templates link to them).
    global handler404, handler500
    handler404, handler500 = site_urls.handler404, site_urls.handler500
    urlpatterns[3:] = site_urls.urlpatterns


def test_server_error_shows_no_stack_trace(client, error_urls):
    client.raise_request_exception = False
    response = client.get("/boom/")
    assert response.status_code == 500
    assert b"Something went wrong on our side" in response.content
    assert b"secret internals" not in response.content
    assert b"Traceback" not in response.content


def test_forbidden_and_bad_request_are_styled(client, error_urls):
    forbidden = client.get("/forbidden/")
    assert forbidden.status_code == 403
    assert b"You cannot open this page" in forbidden.content
    bad = client.get("/bad/")
    assert bad.status_code == 400
    assert b"We could not understand that request" in bad.content
    assert b"tampered" not in bad.content


def test_csrf_failure_is_a_styled_403(demo_data):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("accounts:login"), {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert b"Your form expired" in response.content


def test_check_deploy_is_clean_in_production_settings(tmp_path):
    # Browser tests set DJANGO_ALLOW_ASYNC_UNSAFE in this process; production never does.
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "SECRET_KEY"} and not k.startswith("DJANGO_")
    }
    env.update(
        DEBUG="false",
        SECRET_KEY="k" * 20 + "7f3c9a1e5b2d8c4f6a0e9d3b7c1f5a2e8d4b6c0a9f3e7d1b5c",
        ALLOWED_HOSTS="clinic.example.org",
        SITE_URL="https://clinic.example.org",
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        COLLIS_VAR_DIR=str(tmp_path),
        PYTHONPATH="src",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
