"""An outside attacker's HTTP client for the live server: real sign-in, real cookies, real CSRF.

The attack tests (``test_round2_*.py``) replay an outside tester's findings the way they were
made: HTTP requests against a running server (pytest-django's ``live_server``), signing in
through the sign-in form and, for staff, the second-factor page with a code computed the way an
authenticator app does. Nothing here calls the application's own helpers.

Run locally on the port range given to you, e.g. ``--liveserver=127.0.0.1:8130``.
"""

from __future__ import annotations

import re

import requests

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def totp_now(username: str) -> str:
    """The code an authenticator app would show now for ``username``'s confirmed device."""
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.get(user__username=username, confirmed=True)
    return str(TOTP(device.bin_key, device.step, device.t0, device.digits).token()).zfill(
        device.digits
    )


def give_authenticator(user) -> None:
    """Staff must have an authenticator app to sign in (what enrolment would leave behind)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        TOTPDevice.objects.create(user=user, name="Phone", confirmed=True)


class Attacker:
    """A browser-less visitor of ``base_url`` with its own cookie jar."""

    def __init__(self, base_url: str, *, address: str | None = None) -> None:
        self.base = base_url.rstrip("/")
        self.http = requests.Session()
        self.http.headers["User-Agent"] = "round2-attacker"

    def url(self, path: str) -> str:
        return path if path.startswith("http") else self.base + path

    def get(self, path: str, **kwargs) -> requests.Response:
        kwargs.setdefault("allow_redirects", False)
        return self.http.get(self.url(path), timeout=30, **kwargs)

    def csrf(self) -> str:
        token = self.http.cookies.get("csrftoken")
        if token is None:
            self.get("/accounts/login/")
            token = self.http.cookies.get("csrftoken")
        return token or ""

    def post(self, path: str, data: dict | None = None, **kwargs) -> requests.Response:
        """A form post with the CSRF token a browser would send from our own page."""
        kwargs.setdefault("allow_redirects", False)
        headers = {
            "X-CSRFToken": self.csrf(),
            "Referer": self.base + "/",
            **kwargs.pop("headers", {}),
        }
        return self.http.post(
            self.url(path), data=data or {}, headers=headers, timeout=30, **kwargs
        )

    def post_json(self, path: str, body: object, **kwargs) -> requests.Response:
        headers = {"X-CSRFToken": self.csrf(), "Origin": self.base, **kwargs.pop("headers", {})}
        return self.http.post(self.url(path), json=body, headers=headers, timeout=30, **kwargs)

    def sign_in(self, username: str, password: str, *, second_factor: bool = True) -> Attacker:
        """Sign in through the form; pass the authenticator step when the site asks for it."""
        page = self.get("/accounts/login/")
        token = CSRF_INPUT.search(page.text)
        response = self.http.post(
            self.url("/accounts/login/"),
            data={
                "username": username,
                "password": password,
                "csrfmiddlewaretoken": token.group(1) if token else self.csrf(),
            },
            headers={"Referer": self.base + "/accounts/login/"},
            allow_redirects=True,
            timeout=30,
        )
        if second_factor and "/two-factor/verify/" in response.url:
            self.post("/accounts/two-factor/verify/", {"token": totp_now(username)})
        return self
