"""SMART on FHIR end to end against a live server, driven by the Python ``fhirclient`` library:
discovery, standalone launch with PKCE and consent, a token bound to one patient that reads
only that patient, refresh, revocation; EHR launch; Backend Services with a signed assertion."""

from __future__ import annotations

import hashlib
import json
import re
import time
import uuid
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.test import Client
from fhirclient import client as fhir_client
from fhirclient.models.observation import Observation
from fhirclient.models.patient import Patient as FhirPatient
from fhirclient.server import FHIRNotFoundException
from jstools import r4_errors
from jwcrypto import jwk, jwt
from oauth2_provider.models import Application

from collis.accounts.actions import ensure_user_with_role
from collis.accounts.roles import Role
from collis.interop.models import SmartApp
from collis.patients.models import Patient
from collis.scales.models import Assessment

pytestmark = pytest.mark.django_db(transaction=True)
REDIRECT = "http://127.0.0.1:8169/callback"  # never contacted: the test reads the redirect


@pytest.fixture
def live(live_server):
    from io import StringIO

    from django.core.management import call_command

    call_command("seed_demo", stdout=StringIO())
    return live_server.url


@pytest.fixture
def app(live):
    owner = ensure_user_with_role("smart-owner", Role.ADMINISTRATOR, password="pw-owner-1234567")
    application = Application.objects.create(
        name="Neck diary app",
        client_type=Application.CLIENT_PUBLIC,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=REDIRECT,
        algorithm=Application.RS256_ALGORITHM,
        allowed_origins="https://app.example",
        user=owner,
        skip_authorization=False,
    )
    SmartApp.objects.create(application=application, launch_url="https://app.example/launch")
    return application


def signed_in(user) -> requests.Session:
    """A browser-like session signed in as ``user`` (session cookie from Django's test client)."""
    django_client = Client()
    django_client.force_login(user)
    session = requests.Session()
    session.cookies.set("sessionid", django_client.cookies["sessionid"].value)
    return session


def consent(session: requests.Session, authorize_url: str, **extra: str) -> str:
    """Open the consent screen, allow, and return the redirect back to the app."""
    page = session.get(authorize_url, timeout=30)
    assert page.status_code == 200, page.text[:2000]
    # A browser applies the consent page's form-action to the redirect that answers the form.
    policy = dict(
        part.strip().split(" ", 1)
        for part in page.headers["Content-Security-Policy"].split(";")
        if " " in part.strip()
    )
    assert "http://127.0.0.1:8169" in policy["form-action"].split()
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page.text))
    fields.update(extra, allow="Authorize")
    answer = session.post(
        page.url, data=fields, allow_redirects=False, headers={"Referer": page.url}, timeout=30
    )
    assert answer.status_code == 302, answer.text[:2000]
    return answer.headers["Location"]


def smart_client(live: str, app, scope: str, launch: str | None = None):
    settings = {
        "app_id": app.client_id,
        "api_base": f"{live}/fhir",
        "redirect_uri": REDIRECT,
        "scope": scope,
    }
    if launch:
        settings["launch_token"] = launch
    return fhir_client.FHIRClient(settings=settings)


def test_discovery_and_capability_statement(live):
    config = requests.get(f"{live}/fhir/.well-known/smart-configuration", timeout=30).json()
    assert config["authorization_endpoint"] == f"{live}/o/authorize/"
    assert config["token_endpoint"] == f"{live}/o/token/"
    assert "S256" in config["code_challenge_methods_supported"]
    assert {"launch-standalone", "launch-ehr", "permission-v2"} <= set(config["capabilities"])
    statement = requests.get(f"{live}/fhir/metadata", timeout=30).json()
    assert r4_errors(statement) == []
    security = statement["rest"][0]["security"]
    assert security["service"][0]["coding"][0]["code"] == "SMART-on-FHIR"


def _assert_tokens_stored_only_as_checksums(*raw_tokens: str) -> None:
    """RFC 9700 §4: a copy of the database holds no usable bearer or refresh token."""
    from oauth2_provider.models import AccessToken, RefreshToken

    stored = list(AccessToken.objects.values_list("token", flat=True))
    stored += RefreshToken.objects.values_list("token", flat=True)
    assert stored and set(stored) == {""}
    checksums = set(AccessToken.objects.values_list("token_checksum", flat=True))
    for raw in raw_tokens:
        assert hashlib.sha256(raw.encode()).hexdigest() in checksums


def test_standalone_launch_reads_only_the_patient_in_context(live, app):
    me = Patient.objects.get(mrn="DEMO-0001")
    other = Patient.objects.get(mrn="DEMO-0002")
    smart = smart_client(live, app, "launch/patient patient/*.rs openid fhirUser offline_access")
    smart.prepare()  # reads the CapabilityStatement and its SMART security extension
    authorize_url = smart.authorize_url
    assert "code_challenge=" in authorize_url

    callback = consent(signed_in(me.user), authorize_url)
    assert "code" in parse_qs(urlsplit(callback).query)
    smart.handle_callback(callback)
    assert smart.ready
    assert smart.patient_id == str(me.pk)
    assert smart.patient.identifier[0].value == "DEMO-0001"  # fhirclient's R4 model parses it

    with pytest.raises(FHIRNotFoundException) as refused:
        FhirPatient.read(str(other.pk), smart.server)
    assert refused.value.response.status_code == 404
    mine = next(Observation.where({"patient": str(me.pk)}).perform_iter(smart.server))
    theirs = next(Observation.where({"patient": str(other.pk)}).perform_iter(smart.server))
    scored = Assessment.objects.filter(patient=me, status="complete").count()
    assert mine.total >= scored > 0  # scores, posture analyses and cycle outcomes
    assert {e.resource.subject.reference for e in mine.entry} == {f"Patient/{me.pk}"}
    assert theirs.total == 0
    everyone = list(FhirPatient.where({}).perform_resources_iter(smart.server))
    assert [p.id for p in everyone] == [str(me.pk)]

    # The token is refreshed with the same patient context.
    first_token = smart.server.auth.access_token
    assert smart.server.auth.refresh_token
    smart.reauthorize()
    assert smart.server.auth.access_token != first_token
    assert FhirPatient.read(str(me.pk), smart.server).id == str(me.pk)
    _assert_tokens_stored_only_as_checksums(smart.server.auth.access_token)

    # Revoked, the token reads nothing.
    token = smart.server.auth.access_token
    revoked = requests.post(
        f"{live}/o/revoke_token/", data={"token": token, "client_id": app.client_id}, timeout=30
    )
    assert revoked.status_code == 200
    after = requests.get(
        f"{live}/fhir/Patient/{me.pk}", headers={"Authorization": f"Bearer {token}"}, timeout=30
    )
    assert after.status_code == 401
    assert after.json()["resourceType"] == "OperationOutcome"


def test_ehr_launch_from_a_clinician_session(live, app):
    clinician = ensure_user_with_role("smart-clin", Role.CLINICIAN, password="pw-clin-1234567")
    patient = Patient.objects.get(mrn="DEMO-0003")
    session = signed_in(clinician)
    # Staff sessions need a verified second factor; mark this one verified as the login would.
    from django_otp.plugins.otp_static.models import StaticDevice

    device = StaticDevice.objects.create(user=clinician, name="test")
    django_client = Client()
    django_client.force_login(clinician)
    s = django_client.session
    s["otp_device_id"] = device.persistent_id
    s.save()
    session.cookies.set("sessionid", django_client.cookies["sessionid"].value)

    launched = session.get(
        f"{live}/o/launch/{app.client_id}/{patient.pk}/", allow_redirects=False, timeout=30
    )
    assert launched.status_code == 302, launched.text[:500]
    query = parse_qs(urlsplit(launched.headers["Location"]).query)
    assert query["iss"] == [f"{live}/fhir"]
    smart = smart_client(live, app, "launch user/*.rs openid fhirUser", launch=query["launch"][0])
    smart.prepare()
    callback = consent(session, smart.authorize_url)
    smart.handle_callback(callback)
    assert smart.patient_id == str(patient.pk)
    # user/ scopes: the clinician's own reach, not only the launch patient.
    others = next(FhirPatient.where({"_count": "5"}).perform_iter(smart.server))
    assert len(others.entry) == 5 and others.total == Patient.objects.count()


def test_backend_services_bulk_token_with_a_signed_assertion(live, app):
    key = jwk.JWK.generate(kty="RSA", size=2048, kid="backend-1", alg="RS384")
    backend = Application.objects.create(
        name="Registry backend",
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS,
        user=app.user,  # an administrator
    )
    SmartApp.objects.create(application=backend, jwks={"keys": [json.loads(key.export_public())]})
    token_url = f"{live}/o/token/"

    def assertion(**claims):
        body = {
            "iss": backend.client_id,
            "sub": backend.client_id,
            "aud": token_url,
            "exp": int(time.time()) + 240,
            "jti": str(uuid.uuid4()),
            **claims,
        }
        signed = jwt.JWT(header={"alg": "RS384", "kid": "backend-1"}, claims=body)
        signed.make_signed_token(key)
        return signed.serialize()

    def ask(signed: str):
        return requests.post(
            token_url,
            data={
                "grant_type": "client_credentials",
                "scope": "system/*.rs",
                "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                "client_assertion": signed,
            },
            timeout=30,
        )

    once = assertion()
    granted = ask(once)
    assert granted.status_code == 200, granted.text
    token = granted.json()["access_token"]
    _assert_tokens_stored_only_as_checksums(token)
    assert granted.json()["scope"] == "system/*.rs"
    assert ask(once).status_code == 401  # an assertion is single-use
    assert ask(assertion(aud="https://elsewhere.example/token")).status_code == 401
    other_key = jwk.JWK.generate(kty="RSA", size=2048)
    forged = jwt.JWT(
        header={"alg": "RS384"},
        claims={
            "iss": backend.client_id,
            "sub": backend.client_id,
            "aud": token_url,
            "exp": int(time.time()) + 60,
            "jti": "x",
        },
    )
    forged.make_signed_token(other_key)
    assert ask(forged.serialize()).status_code == 401

    kickoff = requests.get(
        f"{live}/fhir/$export?_type=Patient",
        headers={"Authorization": f"Bearer {token}", "Prefer": "respond-async"},
        timeout=30,
    )
    assert kickoff.status_code == 202, kickoff.text


def test_cors_only_for_registered_origins(live, app):
    allowed = requests.options(
        f"{live}/fhir/metadata",
        headers={"Origin": "https://app.example", "Access-Control-Request-Method": "GET"},
        timeout=30,
    )
    assert allowed.headers.get("Access-Control-Allow-Origin") == "https://app.example"
    stranger = requests.get(
        f"{live}/fhir/metadata", headers={"Origin": "https://evil.example"}, timeout=30
    )
    assert "Access-Control-Allow-Origin" not in stranger.headers
