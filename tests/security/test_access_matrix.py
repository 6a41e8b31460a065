"""Every role x every sensitive URL: allowed or denied, enforced on the server.

To cover a new page or endpoint, add a row to ``MATRIX`` (or, if it is public on purpose, an
entry with its reason to ``PUBLIC_ROUTES``). ``test_every_url_is_in_the_matrix_or_public``
fails for any URL pattern in the project that is in neither, and for every model registered
in the admin that no row exercises.

Path placeholders: ``{own}`` the signed-in patient's record (patient A), ``{other}`` patient B,
``{uninvited}`` patient C (email, no portal account).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from django.contrib import admin
from django.urls import URLResolver, get_resolver, resolve

from .conftest import PERSONAS, STAFF_PERSONAS

SIGNED_IN = frozenset(PERSONAS) - {"anonymous"}
STAFF = frozenset(STAFF_PERSONAS)
ADMIN_ONLY = frozenset({"administrator"})
CLINICAL = frozenset({"clinician", "administrator"})
CLINICIAN_ONLY = frozenset(
    {"clinician"}
)  # the clinical workspace: administrators manage, not treat
PATIENT_ONLY = frozenset({"patient"})


@dataclass(frozen=True)
class Row:
    path: str
    allowed: frozenset[str]
    method: str = "GET"
    data: dict = field(default_factory=dict)
    headers: dict = field(default_factory=dict)

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


MATRIX: list[Row] = [
    # Accounts: signed-in pages, the patient's own data, the administrator's privacy desk.
    Row("/accounts/security/", SIGNED_IN),
    Row("/accounts/start/", SIGNED_IN),
    Row("/accounts/password/change/", SIGNED_IN),
    Row("/accounts/password/change/done/", SIGNED_IN),
    Row("/accounts/two-factor/backup-codes/", SIGNED_IN),
    Row("/accounts/two-factor/disable/", frozenset({"outsider", "patient"}), method="POST"),
    Row("/accounts/two-factor/disable/", frozenset({"outsider", "patient"})),
    Row("/accounts/my-data.json", frozenset({"patient"})),
    Row("/accounts/privacy/", ADMIN_ONLY),
    Row("/accounts/privacy/patients/{own}/export.json", ADMIN_ONLY),
    Row("/accounts/privacy/patients/{own}/anonymise/", ADMIN_ONLY),
    Row(
        "/accounts/patients/{uninvited}/invite/",
        frozenset({"front_desk", "administrator"}),
        method="POST",
    ),
    # Audit trail.
    Row("/accounts/patients/{uninvited}/link/", ADMIN_ONLY),
    Row("/audit/", ADMIN_ONLY),
    Row("/audit/export.csv", ADMIN_ONLY),
    Row("/audit/export.jsonl", ADMIN_ONLY),
    # Back office: one row per registered model at least (the guard below checks).
    Row("/admin/", STAFF),
    Row("/admin/patients/patient/", STAFF),
    Row("/admin/patients/patient/{own}/change/", STAFF),
    Row("/admin/audit/auditevent/", ADMIN_ONLY),
    Row("/admin/auth/user/", ADMIN_ONLY),
    Row("/admin/auth/group/", ADMIN_ONLY),  # the administrator persona is a superuser
    Row("/admin/axes/accessattempt/", ADMIN_ONLY),
    Row("/admin/axes/accessfailurelog/", ADMIN_ONLY),
    Row("/admin/axes/accesslog/", ADMIN_ONLY),
    Row("/admin/otp_totp/totpdevice/", ADMIN_ONLY),
    Row("/admin/otp_static/staticdevice/", ADMIN_ONLY),
    Row("/admin/education/page/", CLINICAL),
    Row("/admin/jobs/job/", ADMIN_ONLY),  # superuser only
    Row("/admin/providers/clinic/", ADMIN_ONLY),
    Row("/admin/providers/clinician/", ADMIN_ONLY),
    Row("/admin/providers/language/", ADMIN_ONLY),
    Row("/admin/providers/location/", ADMIN_ONLY),
    Row("/admin/providers/specialty/", ADMIN_ONLY),
    Row("/admin/interop/apitoken/", ADMIN_ONLY),
    Row("/admin/oauth2_provider/application/", ADMIN_ONLY),
    Row("/admin/oauth2_provider/accesstoken/", ADMIN_ONLY),
    Row("/admin/oauth2_provider/refreshtoken/", ADMIN_ONLY),
    Row("/admin/oauth2_provider/grant/", ADMIN_ONLY),
    Row("/admin/oauth2_provider/idtoken/", ADMIN_ONLY),
    Row("/admin/patients/visit/", CLINICAL),
    Row("/admin/scales/assessment/", CLINICAL),
    Row("/admin/injections/injectionsession/", CLINICAL),
    Row("/admin/injections/toxinlot/", CLINICAL),
    Row("/admin/injections/toxinproduct/", CLINICAL),
    Row("/admin/diary/diaryentry/", CLINICAL),
    Row("/admin/diary/exercise/", CLINICAL),
    Row("/admin/recordings/posturerecording/", CLINICAL),
    Row("/admin/recordings/posturerecording/{own_recording}/change/", CLINICAL),
    # Clinician workspace: clinical data, for clinicians only (never the front desk).
    Row("/clinic/patients/", CLINICIAN_ONLY),
    Row("/clinic/patients/{own}/", CLINICIAN_ONLY),
    Row("/clinic/patients/{own}/diagnosis/", CLINICIAN_ONLY),
    Row("/clinic/patients/{own}/visits/new/", CLINICIAN_ONLY),
    Row("/clinic/patients/{own}/scales/twstrs/new/", CLINICIAN_ONLY),
    Row("/clinic/patients/{own}/injections/new/", CLINICIAN_ONLY),
    Row("/clinic/patients/{own}/programme/", CLINICIAN_ONLY),
    Row("/clinic/assessments/{own_assessment}/", CLINICIAN_ONLY),
    Row("/clinic/assessments/{own_assessment}/edit/", CLINICIAN_ONLY),
    Row("/clinic/injections/{own_session}/", CLINICIAN_ONLY),
    Row("/clinic/injections/{own_session}/adverse-events/new/", CLINICIAN_ONLY),
    Row("/clinic/injections/{own_session}/cycle-report/", CLINICIAN_ONLY),
    Row("/clinic/injections/{own_session}/outcome/", CLINICIAN_ONLY),
    Row("/clinic/injections/{own_session}/goals/new/", CLINICIAN_ONLY),
    Row("/clinic/injections/{own_session}/goals/{own_goal}/", CLINICIAN_ONLY),
    Row("/clinic/patients/{own}/toxin-response/", CLINICIAN_ONLY),
    Row("/clinic/side-effects/", CLINICIAN_ONLY),
    Row("/clinic/side-effects/{own_report}/", CLINICIAN_ONLY),
    Row("/clinic/records/injection-session/{own_session}/delete/", CLINICIAN_ONLY),
    Row("/clinic/records/injection-session/{own_session}/delete/", CLINICIAN_ONLY, method="POST"),
    Row("/clinic/records/assessment/{own_assessment}/delete/", CLINICIAN_ONLY),
    Row("/clinic/records/posture-analysis/{own_recording}/delete/", CLINICIAN_ONLY),
    Row("/clinic/visits/{own_visit}/", CLINICIAN_ONLY),
    Row("/clinic/visits/{own_visit}/summary/", CLINICIAN_ONLY),
    Row("/clinic/visits/{own_visit}/summary.pdf", CLINICIAN_ONLY),
    Row("/clinic/visits/{own_visit}/recordings/new/", CLINICIAN_ONLY),
    Row("/clinic/recordings/{own_recording}/", CLINICIAN_ONLY),
    Row("/clinic/recordings/{own_recording}/status.json", CLINICIAN_ONLY),
    Row("/clinic/recordings/{own_recording}/original", CLINICIAN_ONLY),
    Row("/clinic/recordings/{own_recording}/annotated.png", CLINICIAN_ONLY),
    Row("/clinic/recordings/{own_recording}/delete-original/", CLINICIAN_ONLY),
    Row("/clinic/recordings/{own_recording}/delete-original/", CLINICIAN_ONLY, method="POST"),
    Row("/clinic/recordings/{own_recording}/retry/", CLINICIAN_ONLY, method="POST"),
    Row("/clinic/recordings/{own_recording}/neutral/", CLINICIAN_ONLY, method="POST"),
    # Home video check-ins (issue #16): the patient's own pages, the clinician's review.
    Row("/portal/checkins/", PATIENT_ONLY),
    Row("/portal/checkins/consent/", PATIENT_ONLY),
    Row("/portal/checkins/consent/", PATIENT_ONLY, method="POST"),
    Row("/portal/checkins/new/", PATIENT_ONLY),
    Row("/portal/checkins/{own_checkin}/", PATIENT_ONLY),
    Row("/portal/checkins/{own_checkin}/status.json", PATIENT_ONLY),
    Row("/clinic/checkins/", CLINICIAN_ONLY),
    Row("/clinic/checkins/{own_checkin}/", CLINICIAN_ONLY),
    Row("/clinic/checkins/{own_checkin}/annotated.png", CLINICIAN_ONLY),
    Row("/clinic/checkins/{own_checkin}/reviewed/", CLINICIAN_ONLY, method="POST"),
    Row("/clinic/checkins/{own_checkin}/stills/neutral.png", CLINICIAN_ONLY),
    Row("/portal/checkins/{own_checkin}/stills/neutral.png", PATIENT_ONLY),
    Row(
        "/clinic/checkins/{own_checkin}/message/",
        CLINICIAN_ONLY,
        method="POST",
        data={"body": "Please book an earlier visit."},
    ),
    Row("/clinic/patients/{own}/wearing-off/", CLINICIAN_ONLY),
    Row("/clinic/patients/{own}/checkin-schedule/", CLINICIAN_ONLY, method="POST"),
    # Front desk: the schedule, for every staff role; a clinician's own calendar feed.
    Row("/admin/scheduling/appointment/", STAFF),
    Row("/admin/scheduling/appointmenttype/", STAFF),
    Row("/admin/scheduling/bookingpolicy/", STAFF),
    Row("/admin/scheduling/calendarfeed/", STAFF),
    Row("/admin/scheduling/clinicclosure/", STAFF),
    Row("/admin/scheduling/dateoverride/", STAFF),
    Row("/admin/scheduling/injectionrecall/", STAFF),
    Row("/admin/scheduling/reminderdelivery/", STAFF),
    Row("/admin/scheduling/timeoff/", STAFF),
    Row("/admin/scheduling/waitlistentry/", STAFF),
    Row("/admin/scheduling/weeklybreak/", STAFF),
    Row("/admin/scheduling/weeklyhours/", STAFF),
    Row("/desk/", STAFF),
    Row("/desk/book/", STAFF),
    Row("/desk/book/new-patient/", STAFF, method="POST"),  # empty form: back to the booking
    Row("/desk/recalls/", STAFF),
    Row("/desk/recalls/999999/send/", frozenset(), method="POST"),  # no such recall: 404
    Row("/desk/feed/", CLINICIAN_ONLY),
    Row("/desk/waitlist/", STAFF),
    Row("/desk/waitlist/999999/offer/", frozenset(), method="POST"),  # no such entry: 404
    Row("/desk/appointments/{appointment}/", STAFF),
    Row(
        "/desk/appointments/{appointment}/status/", STAFF, method="POST", data={"status": "arrived"}
    ),
    Row(
        "/desk/appointments/{appointment}/status/undo/",
        STAFF,
        method="POST",
        data={"reason": "mistake"},
    ),
    Row("/desk/appointments/{appointment}/move/", STAFF, method="POST"),
    Row("/desk/appointments/{appointment}/cancel/", STAFF, method="POST"),
    # Supply: the clinic manager (administrator) runs stock, authorisations, claims and
    # reports; clinicians open and close vials and record a session's draws; the front desk
    # reads only an authorisation's status (API below and the desk appointment page).
    Row("/supply/", CLINICAL),
    Row("/supply/receive/", ADMIN_ONLY),
    Row("/supply/lots/{lot}/", ADMIN_ONLY),
    Row("/supply/lots/{lot}/adjust/", ADMIN_ONLY, method="POST"),
    Row("/supply/lots/{lot}/count/", ADMIN_ONLY, method="POST"),
    Row("/supply/lots/{lot}/transfer/", ADMIN_ONLY, method="POST"),
    Row("/supply/lots/{lot}/recall/", ADMIN_ONLY),
    Row("/supply/lots/{lot}/recall/", ADMIN_ONLY, method="POST", data={"note": "matrix"}),
    Row("/supply/vials/open/", CLINICAL),
    Row("/supply/vials/{vial}/close/", CLINICAL, method="POST"),
    Row("/supply/sessions/{own_session}/", CLINICIAN_ONLY),
    Row("/supply/claims/", ADMIN_ONLY),
    Row("/supply/claims.csv", ADMIN_ONLY),
    Row("/supply/authorisations/", ADMIN_ONLY),
    Row("/supply/authorisations/new/", ADMIN_ONLY),
    Row("/supply/reports/", ADMIN_ONLY),
    Row("/supply/policy/", ADMIN_ONLY),
    Row("/api/supply/authorisation-status?patient={own}&on=2026-12-01", STAFF),
    # Soft delete of a clinical record (issue #12): each case runs in its own transaction.
    Row(
        "/api/clinical/records/injection-session/{own_session}/delete",
        CLINICIAN_ONLY,
        method="POST",
        data={"reason": "access matrix"},
        headers={"content_type": "application/json", "HTTP_ORIGIN": "http://testserver"},
    ),
    Row("/admin/supply/billingcode/", ADMIN_ONLY),
    Row("/admin/supply/vialprice/", ADMIN_ONLY),
    Row("/admin/supply/reorderlevel/", ADMIN_ONLY),
    Row("/admin/supply/stockreceipt/", ADMIN_ONLY),
    Row("/admin/supply/stockadjustment/", ADMIN_ONLY),
    Row("/admin/supply/vial/", ADMIN_ONLY),
    Row("/admin/supply/priorauthorization/", ADMIN_ONLY),
    # Patient portal: the signed-in patient's own record only.
    Row("/portal/", PATIENT_ONLY),
    Row("/portal/charts/", PATIENT_ONLY),
    Row("/portal/diary/", PATIENT_ONLY),
    Row("/portal/diary/new/", PATIENT_ONLY),
    Row("/portal/diary/{own_diary}/delete/", PATIENT_ONLY),
    Row("/portal/diary/{other_diary}/delete/", frozenset()),  # another patient's: 404
    Row("/portal/programme/", PATIENT_ONLY),
    Row("/portal/side-effects/", PATIENT_ONLY),
    Row("/portal/side-effects/new/", PATIENT_ONLY),
    Row("/portal/side-effects/{own_report}/", PATIENT_ONLY),
    Row("/portal/visits/{own_visit}/summary/", PATIENT_ONLY),
    Row("/portal/visits/{own_visit}/summary.pdf", PATIENT_ONLY),
    # FHIR with a signed-in session (read only): patients see their own record, staff all,
    # accounts without a role nothing. Bulk export is for administrators.
    Row("/fhir/Patient", SIGNED_IN - {"outsider"}),
    Row("/fhir/Patient/{own}", SIGNED_IN - {"outsider"}),
    Row("/fhir/Patient/{other}", STAFF),
    Row("/fhir/Patient/{own}/$everything", SIGNED_IN - {"outsider"}),
    Row("/fhir/$export", ADMIN_ONLY, headers={"HTTP_PREFER": "respond-async"}),
    Row("/fhir/$export-status/999999", frozenset()),  # no such job: 404 even for administrators
    Row("/fhir/$export-file/999999/Patient.ndjson", frozenset()),
    Row("/fhir/Patient/$export", ADMIN_ONLY, headers={"HTTP_PREFER": "respond-async"}),
    Row("/fhir/Group/all/$export", ADMIN_ONLY, headers={"HTTP_PREFER": "respond-async"}),
    Row(
        "/fhir/Patient/_search",
        SIGNED_IN - {"outsider"},
        method="POST",
        data="_count=10",  # type: ignore[arg-type]
        headers={"content_type": "application/x-www-form-urlencoded"},
    ),
    Row("/fhir/Patient/{own}/_history", SIGNED_IN - {"outsider"}),
    Row("/fhir/Patient/{other}/_history", STAFF),
    Row("/fhir/Patient/{other}/_history/999999", frozenset()),  # no such version: 404
    # EHR launch needs a registered app: an unknown one is 404 for everyone (tests/interop
    # test_smart_launch covers the launch itself).
    Row("/o/launch/no-such-app/{own}/", frozenset()),
]

# Patient A asks for patient B's objects by id: never served, never leaks B's name.
IDOR_ROWS: list[Row] = [
    Row("/accounts/privacy/patients/{other}/export.json", frozenset()),
    Row("/accounts/privacy/patients/{other}/anonymise/", frozenset()),
    Row("/admin/patients/patient/{other}/change/", frozenset()),
    Row(
        "/admin/patients/patient/{other}/delete/",
        frozenset(),
        method="POST",
        data={"post": "yes", "reason": "idor"},
    ),
    Row("/admin/patients/visit/{other_visit}/change/", frozenset()),
    Row("/admin/scales/assessment/{other_assessment}/change/", frozenset()),
    Row("/admin/injections/injectionsession/{other_session}/change/", frozenset()),
    Row("/admin/recordings/posturerecording/{other_recording}/change/", frozenset()),
    Row("/portal/?patient={other}", frozenset({"patient"})),  # a query cannot switch records
    Row("/accounts/my-data.json?patient={other}", frozenset({"patient"})),
    Row("/accounts/patients/{other}/invite/", frozenset(), method="POST"),
    Row("/accounts/patients/{other}/link/", frozenset(), method="POST"),
    Row("/fhir/Patient/{other}", frozenset()),
    Row("/fhir/Patient/{other}/$everything", frozenset()),
    Row("/portal/visits/{other_visit}/summary/", frozenset()),
    Row("/portal/visits/{other_visit}/summary.pdf", frozenset()),
    # A patient never reaches posture media, their own or another patient's.
    Row("/clinic/recordings/{other_recording}/original", frozenset()),
    Row("/clinic/recordings/{other_recording}/annotated.png", frozenset()),
    Row("/clinic/recordings/{other_recording}/", frozenset()),
    # Another patient's check-in answers 404 to the patient; clinicians use the clinic pages.
    Row("/portal/checkins/{other_checkin}/", frozenset()),
    Row("/portal/checkins/{other_checkin}/status.json", frozenset()),
    Row("/portal/checkins/{other_checkin}/stills/neutral.png", frozenset()),
]

# Routes anyone may open (or that only start a sign-in), with the reason.
PUBLIC_ROUTES: dict[str, str] = {
    "": "home page",
    "search/": "site search over public pages and providers",
    "healthz": "load-balancer health check, no data",
    "favicon.ico": "redirect to the site icon",
    "readyz": "readiness probe: database and broker up or down, no data",
    "fhir/metadata": "FHIR CapabilityStatement, public by the FHIR specification",
    "fhir/.well-known/smart-configuration": "SMART discovery, public by the SMART specification",
    "fhir/(?P<rest>.*)$": "unknown FHIR paths: a 404 OperationOutcome, no data",
    "language/": "language switcher (sets a cookie; a signed-in patient's own record)",
    "o/authorize/": "OAuth consent screen: sign-in required, the user grants their own access",
    "o/token/": "OAuth token endpoint: the client authenticates itself (PKCE or JWT assertion)",
    "o/revoke_token/": "OAuth revocation: the client presents its own token",
    "o/introspect/": "OAuth introspection: a protected resource authenticates itself",
    "o/userinfo/": "OpenID userinfo: the bearer token is the credential",
    "o/.well-known/jwks.json": "public signing keys, by the OpenID specification",
    "o/\\.well-known/openid-configuration/?$": "OpenID discovery, public by the specification",
    "o/logout/": "OpenID RP-initiated logout of the signed-in user",
    "conditions/": "education pages",
    "conditions/<slug:slug>/": "education pages",
    "providers/": "provider directory",
    "providers/<slug:slug>/": "provider directory",
    "accounts/login/": "sign-in",
    "accounts/logout/": "sign-out",
    "accounts/": "landing page: sends staff to the back office, others to their account",
    "accounts/two-factor/verify/": "second step of sign-in, for the signed-in user only",
    "accounts/two-factor/setup/": "enrolment, for the signed-in user only",
    "accounts/password/reset/": "password reset request (rate limited)",
    "accounts/password/reset/sent/": "password reset",
    "accounts/password/reset/<uidb64>/<token>/": "password reset, signed token",
    "accounts/password/reset/complete/": "password reset",
    "accounts/activate/<uidb64>/<token>/": "patient activation, signed token",
    "api/": "API root",
    "api/openapi.json": "API schema",
    "api/docs": "API documentation",
    "api/providers/clinicians": "public directory API",
    "api/providers/clinicians/<slug>": "public directory API",
    "api/providers/locations": "public directory API",
    "book/": "online booking needs no account",
    "book/choose/": "online booking needs no account",
    "book/slots/": "online booking needs no account",
    "book/details/": "online booking needs no account (rate limited)",
    "book/waitlist/": "online booking needs no account",
    "appointments/<str:token>/": "manage link: the signed token is the credential",
    "appointments/<str:token>/cancel/": "manage link: signed token",
    "appointments/<str:token>/reschedule/": "manage link: signed token",
    "appointments/<str:token>/appointment.ics": "manage link: signed token",
    "waitlist/offers/<str:token>/": "waitlist offer link: the random token is the credential",
    "calendar/feeds/<str:token>.ics": "clinician feed: secret, revocable token; initials only",
    "api/scheduling/appointment-types": "public booking API",
    "api/scheduling/clinicians": "public booking API",
    "api/scheduling/slots": "public booking API",
    "api/scheduling/appointments": "public booking API (POST books)",
    "api/scheduling/appointments/<token>": "booking API: signed token",
    "api/scheduling/appointments/<token>/cancel": "booking API: signed token",
    "api/scheduling/appointments/<token>/reschedule": "booking API: signed token",
}

PLACEHOLDERS = ("own", "other", "uninvited", "own_visit", "other_visit", "own_session",
                "other_session", "own_assessment", "other_assessment", "appointment",
                "own_recording", "other_recording", "lot", "vial", "own_goal",
                "own_report", "own_checkin", "other_checkin", "own_diary",
                "other_diary")  # fmt: skip

LOGIN_PREFIXES = ("/accounts/login/", "/admin/login/", "/accounts/two-factor/")


def _fill(path: str, patients: dict[str, int]) -> str:
    return path.format(**{k: str(v) for k, v in patients.items()})


def _denied(response) -> bool:
    if response.status_code in {401, 403, 404, 405}:
        return True
    if response.status_code in {301, 302}:
        return response["Location"].split("?")[0].startswith(LOGIN_PREFIXES)
    return False


def _allowed(response) -> bool:
    return response.status_code < 400 and not _denied(response)


@pytest.fixture
def patients(own_patient, other_patient, uninvited_patient, clinical_objects) -> dict[str, int]:
    """Ids the matrix paths name: the three patients and A's and B's clinical objects."""
    return {
        "own": own_patient.pk,
        "other": other_patient.pk,
        "uninvited": uninvited_patient.pk,
        **clinical_objects,
    }


def _request(client, row: Row, patients: dict[str, int]):
    path = _fill(row.path, patients)
    if row.method == "POST":
        return client.post(path, row.data, **row.headers)
    response = client.get(path, **row.headers)
    if response.streaming:
        # Read a streamed private file to the end: the test client then closes it. (Not
        # response.close(), which would also close the test's database connection.)
        b"".join(response.streaming_content)
    return response


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("row", MATRIX, ids=str)
def test_access_matrix(row: Row, persona: str, persona_client, patients):
    response = _request(persona_client(persona), row, patients)
    if persona in row.allowed:
        assert _allowed(response), f"{persona} should reach {row}: {response.status_code}"
    else:
        assert _denied(response), f"{persona} must not reach {row}: {response.status_code}"


@pytest.mark.django_db
@pytest.mark.parametrize("row", [row for row in MATRIX if row.allowed & STAFF], ids=str)
def test_staff_without_second_factor_are_denied(row: Row, persona_client, patients):
    for persona in sorted(row.allowed & STAFF):
        response = _request(persona_client(persona, verified=False), row, patients)
        assert _denied(response), f"unverified {persona} reached {row}"


@pytest.mark.django_db
@pytest.mark.parametrize("row", IDOR_ROWS, ids=str)
def test_patient_cannot_reach_another_patients_objects(
    row: Row, persona_client, patients, other_patient
):
    response = _request(persona_client("patient"), row, patients)
    if "patient" in row.allowed:  # the page itself is the patient's; the id must not matter
        assert _allowed(response), response.status_code
    else:
        assert _denied(response)
    assert other_patient.family_name.encode() not in response.content
    other_patient.refresh_from_db()
    assert other_patient.user.username == "t-patient-b"  # nothing was changed


# The front desk works the schedule and contact details: clinical records in the admin, and the
# portal, stay closed to it even with the right ids.
DESK_IDOR_ROWS = [
    "/admin/patients/visit/{other_visit}/change/",
    "/admin/scales/assessment/{other_assessment}/change/",
    "/admin/injections/injectionsession/{other_session}/change/",
    "/admin/recordings/posturerecording/{other_recording}/change/",
    "/portal/visits/{other_visit}/summary/",
    "/clinic/visits/{other_visit}/summary/",
    "/clinic/checkins/{other_checkin}/",
    "/clinic/checkins/{other_checkin}/annotated.png",
    "/clinic/checkins/{other_checkin}/stills/neutral.png",
    "/portal/checkins/{other_checkin}/stills/neutral.png",
]


@pytest.mark.django_db
@pytest.mark.parametrize("path", DESK_IDOR_ROWS)
def test_front_desk_cannot_open_clinical_records_by_id(path, persona_client, patients):
    response = _request(persona_client("front_desk"), Row(path, frozenset()), patients)
    assert _denied(response), response.status_code


def _join(prefix: str, part: str) -> str:
    return prefix + (part[1:] if part.startswith("^") else part)


def _all_routes(resolver: URLResolver | None = None, prefix: str = ""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        route = _join(prefix, str(pattern.pattern))
        if isinstance(pattern, URLResolver):
            yield from _all_routes(pattern, route)
        else:
            yield route


def _route_of(path: str) -> str:
    return resolve(path.split("?")[0]).route


def test_every_url_is_in_the_matrix_or_public():
    placeholder_ids = dict.fromkeys(PLACEHOLDERS, 1)
    covered = {_route_of(_fill(row.path, placeholder_ids)) for row in MATRIX}
    missing = sorted(
        route
        for route in set(_all_routes())
        if not route.startswith("admin/") and route not in covered and route not in PUBLIC_ROUTES
    )
    assert not missing, (
        "URL patterns with no row in the access matrix (add rows to MATRIX, or to "
        f"PUBLIC_ROUTES with a reason if public on purpose): {missing}"
    )
    stale = sorted(set(PUBLIC_ROUTES) - set(_all_routes()))
    assert not stale, f"PUBLIC_ROUTES names routes that no longer exist: {stale}"


def test_every_admin_model_is_in_the_matrix():
    paths = [row.path for row in MATRIX]
    missing = sorted(
        f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        for model in admin.site._registry
        if not any(
            p.startswith(f"/admin/{model._meta.app_label}/{model._meta.model_name}/") for p in paths
        )
    )
    assert not missing, f"admin models with no row in the access matrix: {missing}"
