"""The gate: every page each role may reach, opened in headless Chromium on a 390×844 phone.

The list of pages is not kept here. It comes from the URL resolver and the access matrix
(``tests/security/test_access_matrix.py``: ``MATRIX`` rows say which role may GET which path,
``PUBLIC_ROUTES`` the pages anyone may open), so a new page is crawled as soon as it has its
matrix row. Path parameters are filled from the seeded demo clinic (its first patient, visit,
session...; a manage link read from the email the booking sent).

Every page, for every role that may reach it, must have: status 200; exactly one ``<html>``;
a non-empty ``<title>`` and ``<h1>``; no console error (a CSP violation is one); a body under
300 kB; no sideways scrolling at 390 px; every header link on the screen; every visible form
label in a field block, not loose beside the next field's input; and no serious or
critical axe-core violation (axe from ``tests/js``, installed by ``npm ci``, evaluated from the
local file).

One browser, one context per role, each signed in once.
"""

from __future__ import annotations

import os
import re
import time
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode

import pytest
from _pytest.pathlib import import_path
from django.core import mail
from django.urls import URLPattern, URLResolver, get_resolver

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "tests" / "js" / "node_modules" / "axe-core" / "axe.min.js"
ROLES = ("anonymous", "patient", "front_desk", "clinician", "administrator")
PHONE = {"width": 390, "height": 844}
MAX_BYTES = 300_000
SCREENSHOTS = os.environ.get("COLLIS_CRAWL_SCREENSHOTS", "")

# Routes that are not pages for people: data, files, machine endpoints and Django's own admin.
NOT_PAGES = (
    re.compile(r"^(api/|fhir/|admin/|healthz|readyz|favicon)"),
    re.compile(r"\.(json|jsonl|csv|pdf|ics|png)$"),
    re.compile(r"(/original|/status\.json|logout/)$"),
    # POST-only form targets (the language switcher) and OAuth endpoints for client software.
    re.compile(r"^language/$"),
    re.compile(r"^o/(token|revoke_token|introspect|userinfo|\\?\.well-known|device-authorization)"),
)


@dataclass
class Target:
    route: str
    path: str
    roles: set[str] = field(default_factory=set)


def _matrix():
    return import_path(
        ROOT / "tests" / "security" / "test_access_matrix.py",
        mode="importlib",
        root=ROOT,
        consider_namespace_packages=False,
    )


def _routes(resolver: URLResolver | None = None, prefix: str = ""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern).lstrip("^")
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern, route)
        elif isinstance(pattern, URLPattern):
            yield route


def _is_page(route: str) -> bool:
    return not any(p.search(route) for p in NOT_PAGES)


def _seeded_values():
    """Ids and slugs of the seeded clinic, and a manage link from a real booking email."""
    from django.utils import timezone

    from collis.education.models import Page
    from collis.injections.models import InjectionSession
    from collis.patients.models import Patient, Visit
    from collis.providers.models import Clinician
    from collis.scales.models import Assessment
    from collis.scheduling import actions, availability
    from collis.scheduling.models import Appointment, AppointmentType

    own = Patient.objects.get(user__username="patient")
    other = Patient.objects.exclude(pk=own.pk).order_by("mrn").first()
    uninvited = Patient.objects.filter(user=None).exclude(email="").order_by("mrn").first()
    follow_up = AppointmentType.objects.filter(
        is_active=True, bookable_online=True, is_reinjection=False, for_new_patients=False
    ).first()
    [slot] = availability.find_slots(follow_up, since=timezone.now(), limit=1)
    clinician = Clinician.objects.get(pk=int(slot.clinician))
    mail.outbox.clear()
    actions.book_appointment(
        appointment_type=follow_up,
        start=slot.start,
        clinician=clinician,
        contact=actions.Contact("Crawl", "Tester", "crawl@example.com", "", None),
        patient=own,
    )
    [email] = [m for m in mail.outbox if m.to == ["crawl@example.com"]]
    token = re.search(r"/appointments/([^/\s]+)/", email.body).group(1)
    later = availability.find_slots(follow_up, since=slot.end + timedelta(hours=1), limit=1)[0]
    recording = own.posture_recordings.order_by("-pk").first()
    goal = _first_row("injections", "GasGoal", session__patient=own)
    values = {
        "own": own.pk,
        "other": other.pk,
        "uninvited": uninvited.pk,
        "own_visit": Visit.objects.filter(patient=own).order_by("-occurred_at").first().pk,
        "own_session": (
            goal.session_id
            if goal is not None
            else InjectionSession.objects.filter(patient=own).first().pk
        ),
        "own_assessment": Assessment.objects.filter(patient=own).first().pk,
        "appointment": Appointment.objects.active().filter(patient=own).first().pk,
        "own_recording": recording.pk if recording is not None else 0,
        "lot": _first_pk("injections", "ToxinLot"),
        "vial": _first_pk("supply", "Vial"),
        "own_goal": goal.pk if goal is not None else None,
        "own_report": _first_pk("injections", "SideEffectReport", session__patient=own),
        "own_diary": _first_pk("diary", "DiaryEntry", patient=own),
    }
    book = {"type": follow_up.slug, "clinician": clinician.slug, "location": "any"}
    queries = {
        "book/choose/": book,
        "book/slots/": book,
        "book/details/": {**book, "start": later.start.isoformat()},
        "book/waitlist/": book,
        "o/authorize/": _smart_authorization_request(),
    }
    slugs = {
        "conditions/<slug:slug>/": Page.objects.published().first().slug,
        "providers/<slug:slug>/": clinician.slug,
    }
    return values, queries, slugs, token


def _smart_authorization_request() -> dict[str, str]:
    """A registered SMART app's authorization request (code + PKCE): the consent screen."""
    from oauth2_provider.models import Application

    from collis.accounts.actions import ensure_user_with_role
    from collis.accounts.roles import Role
    from collis.interop.models import SmartApp

    owner = ensure_user_with_role("crawl-smart-owner", Role.ADMINISTRATOR, password="pw-crawl-1234")
    application = Application.objects.create(
        name="Crawl diary app",
        client_type=Application.CLIENT_PUBLIC,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris="https://app.example/callback",
        algorithm=Application.RS256_ALGORITHM,
        user=owner,
        skip_authorization=False,
    )
    SmartApp.objects.create(application=application, launch_url="https://app.example/launch")
    return {
        "response_type": "code",
        "client_id": application.client_id,
        "redirect_uri": "https://app.example/callback",
        "scope": "launch/patient patient/*.rs openid fhirUser",
        "state": "crawl",
        "code_challenge": "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
        "code_challenge_method": "S256",
    }


def _first_row(app: str, model: str, **where):
    from django.apps import apps

    return apps.get_model(app, model).objects.filter(**where).order_by("pk").first()


def _first_pk(app: str, model: str, **where) -> int | None:
    """The first row's key, or None when the demo clinic has none (its pages are skipped)."""
    from django.apps import apps

    found = apps.get_model(app, model).objects.filter(**where).order_by("pk").first()
    return found.pk if found is not None else None


def _reset_link(username: str) -> tuple[str, str]:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    user = get_user_model().objects.get(username=username)
    return urlsafe_base64_encode(force_bytes(user.pk)), default_token_generator.make_token(user)


def crawl_targets() -> list[Target]:
    """Every page and the roles that may open it, from the resolver and the access matrix."""
    matrix = _matrix()
    values, queries, slugs, token = _seeded_values()
    uid, reset_token = _reset_link("patient")
    targets: dict[str, Target] = {}
    unfilled: list[str] = []
    actions: set[str] = set()  # routes the matrix only POSTs to: form targets, not pages
    skipped: list[str] = []
    for row in matrix.MATRIX:
        names = set(re.findall(r"{(\w+)}", row.path))
        if any(values.get(name) is None for name in names):
            skipped.append(str(row))  # the demo clinic has no such object (yet)
            continue
        path = row.path.format(**values)
        route = matrix._route_of(path)
        if row.method != "GET":
            actions.add(route)
            continue
        if not row.allowed & set(ROLES):
            continue
        if not _is_page(route):
            continue
        targets.setdefault(path, Target(route, path)).roles |= row.allowed & set(ROLES)
    for route in matrix.PUBLIC_ROUTES:
        if not _is_page(route):
            continue
        path = "/" + route
        if route in slugs:
            path = path.replace("<slug:slug>", slugs[route])
        path = path.replace("<str:token>", token)
        path = path.replace("<uidb64>", uid).replace("<token>", reset_token)
        if "<" in path:
            unfilled.append(route)
            continue
        if route in queries:
            path += "?" + urlencode(queries[route])
        targets.setdefault(path, Target(route, path)).roles |= set(ROLES)
    assert not unfilled, f"Give these routes a value from the seeded clinic: {unfilled}"
    crawled = {t.route for t in targets.values()}
    missing = sorted(
        r for r in set(_routes()) if _is_page(r) and r not in crawled and r not in actions
    )
    # A page without an access-matrix row fails test_every_url_is_in_the_matrix_or_public; it
    # is crawled as soon as its row says who may open it.
    if missing:
        print(f"\ncrawl: no access-matrix row yet, not crawled: {missing}")
    if skipped:
        print(f"\ncrawl: no such object in the demo clinic, not crawled: {skipped}")
    return list(targets.values())


def _sign_in(page, base: str, role: str) -> None:
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from collis.demo.accounts import ADMIN_LOGIN, FRONT_DESK_LOGIN
    from collis.demo.patients import PATIENT_LOGIN
    from collis.demo.providers import CLINICIAN_PASSWORD, CLINICIANS

    logins = {
        "patient": PATIENT_LOGIN,
        "front_desk": FRONT_DESK_LOGIN,
        "administrator": ADMIN_LOGIN,
        "clinician": (CLINICIANS[0][0].replace("dr-", "dr."), CLINICIAN_PASSWORD),
    }
    username, password = logins[role]
    page.goto(base + "/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    if "/two-factor/verify/" in page.url:
        device = TOTPDevice.objects.get(user__username=username, confirmed=True)
        code = TOTP(device.bin_key, device.step, device.t0, device.digits).token()
        page.get_by_label("Code").fill(str(code).zfill(device.digits))
        page.get_by_role("button", name="Verify").click()
    assert "/accounts/login/" not in page.url, f"{role} could not sign in"


CHECK_PAGE = """() => {
  const title = document.title.split(' · ')[0].trim();
  const h1 = [...document.querySelectorAll('h1')].map(h => h.textContent.trim());
  return {
    title, h1,
    overflow: document.documentElement.scrollWidth - window.innerWidth,
    wide: [...document.querySelectorAll('body *')]
      .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
      .filter(e => !e.closest('.table-scroll, .table-wrap, .calendar-wrap, pre'))
      .slice(0, 3).map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : '')),
    // A label loose in its form beside inline neighbours runs on one line with its input and
    // the next field's ("Tested on: [date] Toxin type: [select]"); bars meant as one line
    // (.inline-form, .filters, search) are exempt.
    loose: [...document.querySelectorAll('main form label')]
      .filter(l => l.offsetParent !== null)
      .filter(l => !l.closest('.inline-form, .filters, [role="search"]'))
      .filter(l => ['FORM', 'FIELDSET'].includes(l.parentElement.tagName))
      .filter(l => [l.previousElementSibling, l.nextElementSibling]
        .some(n => n && getComputedStyle(n).display.startsWith('inline')))
      .slice(0, 3).map(l => l.textContent.trim().slice(0, 40)),
    offscreen: [...document.querySelectorAll('.site-header nav a, .site-header nav button')]
      .filter(e => { const r = e.getBoundingClientRect();
                     return r.left < 0 || r.right > window.innerWidth + 1; })
      .map(e => e.textContent.trim()),
  };
}"""

RUN_AXE = """async () => {
  const result = await axe.run(document, {
    runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
    resultTypes: ['violations'],
  });
  return result.violations
    .filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => v.id + ' (' + v.impact + '): '
      + v.nodes.slice(0, 2).map(n => n.target.join(' ')).join(', '));
}"""


def check_page(page, url: str, axe_source: str) -> list[str]:
    """Open ``url`` and return what is wrong with it (empty: the page passes)."""
    errors: list[str] = []
    listener = lambda msg: msg.type == "error" and errors.append(msg.text)  # noqa: E731
    page.on("console", listener)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        response = page.goto(url, wait_until="load")
        problems = []
        if response is None or response.status != 200:
            problems.append(f"status {response.status if response else 'none'}")
        body = response.body() if response is not None else b""
        if len(body) >= MAX_BYTES:
            problems.append(f"{len(body)} bytes")
        if body.lower().count(b"<html") != 1:
            problems.append(f"{body.lower().count(b'<html')} <html> elements")
        facts = page.evaluate(CHECK_PAGE)
        if not facts["title"]:
            problems.append("empty <title>")
        if not facts["h1"] or not all(facts["h1"]):
            problems.append(f"<h1>: {facts['h1']}")
        if facts["offscreen"]:  # a signed-in person's own links came last, scrolled away
            problems.append(f"header links off the screen: {facts['offscreen']}")
        if facts["loose"]:  # found at desktop width: "Tested on: [date] Toxin type: [select]"
            problems.append(f"labels loose in their form (no field block): {facts['loose']}")
        if facts["overflow"] > 0:
            problems.append(f"scrolls sideways by {facts['overflow']} px: {facts['wide']}")
        page.evaluate(axe_source)
        problems += [f"axe {v}" for v in page.evaluate(RUN_AXE)]
        problems += [f"console: {e[:200]}" for e in errors]
        return problems
    finally:
        page.remove_listener("console", listener)


@pytest.mark.django_db(transaction=True)
def test_every_page_works_for_every_role_on_a_phone(site, browser):
    """The crawl: every routable page x every role that may reach it (see module docstring)."""
    assert AXE.exists(), "axe-core is missing: run `npm ci --prefix tests/js` (make test does)"
    axe_source = AXE.read_text()
    started = time.monotonic()
    targets = crawl_targets()
    failures: list[str] = []
    opened = 0
    for role in ROLES:
        context = browser.new_context(viewport=PHONE, device_scale_factor=1)
        page = context.new_page()
        if role != "anonymous":
            _sign_in(page, site.url, role)
        for target in targets:
            if role not in target.roles:
                continue
            opened += 1
            for problem in check_page(page, site.url + target.path, axe_source):
                failures.append(f"{role:<13} {target.path}: {problem}")
            if SCREENSHOTS:  # for people to look at: COLLIS_CRAWL_SCREENSHOTS=/some/dir
                name = re.sub(r"[^A-Za-z0-9]+", "-", target.path.split("?")[0]).strip("-") or "home"
                page.screenshot(path=Path(SCREENSHOTS) / f"{role}--{name}.png", full_page=True)
        context.close()
    elapsed = time.monotonic() - started
    routes = {t.route for t in targets}
    print(
        f"\ncrawl: {opened} page loads, {len(routes)} routes, {len(ROLES)} roles, {elapsed:.0f} s"
    )
    assert not failures, "\n".join(failures)
