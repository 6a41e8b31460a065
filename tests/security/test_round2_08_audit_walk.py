"""Finding 8: audit gaps. Every read of health data, whatever the channel, writes exactly one
audit row; so do security events (API-token revocation, reading the audit trail itself).

``HEALTH_READS`` walks every health-data page of the access matrix as a persona allowed to read
it; ``test_every_health_data_page_is_walked`` fails for a new /clinic/, /portal/ or admin page of
health data that is not in the walk.
"""

from __future__ import annotations

import pytest
from django.contrib import admin

from collis.audit.actions import Action
from collis.audit.deletion import HEALTH_DATA
from collis.audit.models import AuditEvent

from .test_access_matrix import MATRIX, _fill, _request, patients  # noqa: F401

HEALTH_PREFIXES = ("/clinic/", "/portal/", "/fhir/Patient", "/audit/", "/accounts/my-data.json",
                   "/accounts/privacy/patients/")  # fmt: skip
# A FHIR search bundle writes one row per patient it returns (each patient's own trail).
PER_RECORD = {"/fhir/Patient"}
NOT_READS = {
    # Forms that only open an empty form (no health data shown) or act on a POST.
    "/clinic/patients/{own}/visits/new/",
    "/clinic/visits/{own_visit}/recordings/new/",
    "/clinic/recordings/{own_recording}/status.json",  # job progress only, polled every second
    "/clinic/recordings/{own_recording}/delete-original/",
    "/accounts/privacy/patients/{own}/anonymise/",
    "/portal/diary/new/",
    "/portal/side-effects/new/",  # an empty form; the report it sends is audited as a create
    "/portal/checkins/new/",  # an empty recording page; the upload it sends is audited as a create
    "/portal/checkins/consent/",  # the consent statement; giving or withdrawing it is audited
    "/portal/checkins/{own_checkin}/status.json",  # job progress only, polled like recordings'
    # A bulk-export kick-off (202) reads nothing itself: it is audited as one export when it is
    # accepted, and each file as it is downloaded (see collis.interop.fhir.everything).
    "/fhir/Patient/$export",
}


def _reader(row) -> str:
    for persona in ("clinician", "patient", "administrator"):
        if persona in row.allowed:
            return persona
    raise AssertionError(f"nobody reads {row}")


def _health_rows():
    health_admin = {
        f"/admin/{m._meta.app_label}/{m._meta.model_name}/"
        for m in admin.site._registry
        if m._meta.label in HEALTH_DATA
    }
    for row in MATRIX:
        if row.method != "GET" or not row.allowed or row.path in NOT_READS:
            continue
        if row.path.startswith(HEALTH_PREFIXES) or any(
            row.path.startswith(prefix) for prefix in health_admin
        ):
            yield row


HEALTH_READS = list(_health_rows())


def test_every_health_data_page_is_walked():
    assert len(HEALTH_READS) >= 30
    paths = {row.path for row in HEALTH_READS}
    for must in ("/clinic/patients/", "/clinic/injections/{own_session}/cycle-report/",
                 "/clinic/patients/{own}/programme/", "/audit/", "/admin/scales/assessment/",
                 "/admin/injections/injectionsession/", "/admin/diary/diaryentry/"):  # fmt: skip
        assert must in paths, must


@pytest.mark.django_db
@pytest.mark.parametrize("row", HEALTH_READS, ids=str)
def test_each_health_data_read_writes_one_audit_row(row, persona_client, patients):  # noqa: F811
    client = persona_client(_reader(row))
    before = AuditEvent.objects.count()
    response = _request(client, row, patients)
    assert response.status_code == 200, response.status_code
    new = AuditEvent.objects.count() - before
    if row.path in PER_RECORD:
        assert new >= 1, f"{row} wrote no audit row"
    else:
        assert new == 1, f"{row} wrote {new} audit rows"


@pytest.mark.django_db
def test_a_patient_export_kickoff_writes_one_export_row(persona_client, patients):  # noqa: F811
    client = persona_client("administrator")
    before = AuditEvent.objects.count()
    response = client.get("/fhir/Patient/$export", HTTP_PREFER="respond-async")
    assert response.status_code == 202, response.status_code
    assert AuditEvent.objects.count() - before == 1
    assert AuditEvent.objects.filter(action=Action.EXPORT, object_type="fhir.$export").count() == 1


@pytest.mark.django_db
def test_patient_search_is_audited_with_the_query(persona_client, patients):  # noqa: F811
    persona_client("clinician").get("/clinic/patients/?q=Ashdown")
    event = AuditEvent.objects.get(object_type="patients.Patient", detail__view="search")
    assert event.detail["query"] == "Ashdown"


@pytest.mark.django_db
def test_api_token_revocation_is_audited(persona_client, administrator):
    from collis.interop.actions import issue_api_token

    token, _secret = issue_api_token(administrator, label="ehr", scopes=["*.read"])
    persona_client("administrator").post(
        "/admin/interop/apitoken/", {"action": "revoke", "_selected_action": [token.pk]}
    )
    token.refresh_from_db()
    assert token.revoked_at is not None
    event = AuditEvent.objects.get(object_type="interop.ApiToken", object_id=str(token.pk))
    assert event.action == "update" and event.detail["change"] == "revoked"
    assert event.actor_label == "t-admin"
