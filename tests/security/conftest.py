"""Personas as signed-in clients, and the patients the access tests point at."""

from __future__ import annotations

import pytest
from collis_testing import sign_in_with_second_factor
from django.test import Client

from collis.accounts.actions import ensure_user_with_role
from collis.accounts.roles import Role
from collis.patients.models import Patient

PERSONAS = ("anonymous", "outsider", "patient", "front_desk", "clinician", "administrator")
STAFF_PERSONAS = frozenset({"front_desk", "clinician", "administrator"})


@pytest.fixture
def own_patient(patient_user):
    """Patient A: the record linked to the ``patient`` persona."""
    return Patient.objects.create(
        mrn="A-0001",
        given_name="Alice",
        family_name="Ashdown",
        user=patient_user,
        email="alice@example.com",
    )


@pytest.fixture
def other_patient(db):
    """Patient B, with their own portal account: what patient A must never reach."""
    user = ensure_user_with_role("t-patient-b", Role.PATIENT, password="pw-pat-b-123456")
    return Patient.objects.create(
        mrn="B-0002",
        given_name="Boris",
        family_name="Bellweather",
        user=user,
        email="boris@example.com",
    )


@pytest.fixture
def uninvited_patient(db):
    """Patient C: has an email address but no portal account yet."""
    return Patient.objects.create(
        mrn="C-0003", given_name="Chiara", family_name="Castellan", email="chiara@example.com"
    )


@pytest.fixture
def persona_client(request, outsider, patient_user, front_desk, clinician_user, administrator):
    """``persona_client(name, verified=True)``: a client signed in as that persona.

    Staff are signed in with a verified second factor unless ``verified=False``.
    """
    users = {
        "outsider": outsider,
        "patient": patient_user,
        "front_desk": front_desk,
        "clinician": clinician_user,
        "administrator": administrator,
    }

    def make(name: str, *, verified: bool = True) -> Client:
        client = Client()
        if name == "anonymous":
            return client
        user = users[name]
        if name in STAFF_PERSONAS and verified:
            sign_in_with_second_factor(client, user)
        else:
            client.force_login(user)
        return client

    return make


@pytest.fixture
def clinical_objects(
    clinician_user, own_patient, other_patient, settings, tmp_path
) -> dict[str, int]:
    """A visit, a toxin session, a draft TWSTRS and a posture photo for patients A and B."""
    settings.MEDIA_ROOT = tmp_path / "media"
    from datetime import date

    from collis.injections.actions import record_injection_session
    from collis.injections.dosing import PlannedInjection, Side
    from collis.injections.models import ToxinLot, ToxinProduct
    from collis.providers.models import Clinician
    from collis.scales.actions import save_assessment

    clinician = Clinician.objects.create(
        user=clinician_user, display_name="Dr. Matrix", slug="dr-matrix"
    )
    lot = ToxinLot.objects.create(
        product=ToxinProduct.objects.get(code="incobotulinumtoxinA"),
        lot_number="MATRIX-1",
        vial_size_units=100,
        expires_on=date(2099, 1, 1),
    )
    ids: dict[str, int] = {}
    for prefix, patient in (("own", own_patient), ("other", other_patient)):
        session = record_injection_session(
            None,
            actor=clinician_user,
            patient=patient,
            lot=lot,
            units_product=lot.product.code,
            injected_on=date(2026, 1, 5),
            dilution_units_per_ml=50,
            clinician=clinician,
            injections=[PlannedInjection("splenius_capitis", Side.LEFT, 60)],
        )
        assessment = save_assessment(
            None,
            actor=clinician_user,
            patient=patient,
            scale="twstrs",
            answers={},
            assessed_on=date(2026, 1, 5),
            complete=False,
        )
        ids |= {
            f"{prefix}_visit": session.visit_id,
            f"{prefix}_session": session.pk,
            f"{prefix}_assessment": assessment.pk,
            f"{prefix}_recording": _analysed_recording(session.visit, clinician_user).pk,
        }
    ids["appointment"] = _staff_booking(clinician, own_patient, clinician_user).pk
    from collis.injections.actions import report_side_effect, set_gas_goal
    from collis.injections.models import InjectionSession

    own_session = InjectionSession.objects.get(pk=ids["own_session"])
    ids["own_goal"] = set_gas_goal(
        None, actor=clinician_user, session=own_session, description="Read"
    ).pk
    ids["own_report"] = report_side_effect(
        None, actor=own_patient.user, patient=own_patient, symptoms=["ptosis"]
    ).pk
    ids |= _supply_objects(lot, clinician_user)
    from collis.diary.actions import record_diary_entry

    for prefix, patient in (("own", own_patient), ("other", other_patient)):
        entry = record_diary_entry(
            None, actor=patient.user, patient=patient, entry_date=date(2026, 1, 6), pain=2,
            severity=3,
        )  # fmt: skip
        ids[f"{prefix}_diary"] = entry.pk
    ids["own_checkin"] = _analysed_checkin(own_patient).pk
    ids["other_checkin"] = _analysed_checkin(other_patient).pk
    return ids


def _analysed_checkin(patient):
    """A home check-in with a stored (synthetic) result and annotated still; not analysed."""
    import io

    import numpy as np
    from django.core.files.base import ContentFile
    from django.utils import timezone
    from PIL import Image

    from collis.checkins.models import CheckinStill, HomeCheckin

    buffer = io.BytesIO()
    Image.fromarray(np.full((64, 64, 3), 128, dtype=np.uint8)).save(buffer, format="PNG")
    checkin = HomeCheckin(
        patient=patient, recorded_at=timezone.now(), protocol_version="home-v1",
        result={"angles": {}}, resting_rotation_deg=-10.0, resting_laterocollis_deg=2.0,
        resting_flexion_deg=0.0,
    )  # fmt: skip
    checkin.annotated.save("matrix-checkin.png", ContentFile(buffer.getvalue()), save=False)
    checkin.save()
    still = CheckinStill(checkin=checkin, segment="neutral", t=2.0)
    still.image.save("matrix-still.png", ContentFile(buffer.getvalue()), save=True)
    return checkin


def _supply_objects(lot, actor) -> dict[str, int]:
    """Stock of the matrix lot at the matrix location, and one opened vial."""
    from datetime import date

    from collis.providers.models import Location
    from collis.supply.actions import open_vial, receive_stock

    location = Location.objects.get(slug="matrix")
    receive_stock(
        None, actor=actor, product=lot.product, lot_number=lot.lot_number,
        vial_size_units=lot.vial_size_units, expires_on=lot.expires_on, vials=3,
        ndc="00000-0000-00", supplier="Matrix", received_on=date(2026, 1, 1), location=location,
    )  # fmt: skip
    vial = open_vial(None, actor=actor, lot=lot, location=location, diluent_ml=None)
    return {"lot": lot.pk, "vial": vial.pk}


def _analysed_recording(visit, actor):
    """A posture photo of the visit with a stored (synthetic) result and annotated picture.

    Written directly, not analysed: the matrix checks who reaches the pages, not MediaPipe.
    """
    import io

    import numpy as np
    from django.core.files.base import ContentFile
    from django.utils import timezone
    from PIL import Image

    from collis.recordings.models import PostureRecording

    buffer = io.BytesIO()
    Image.fromarray(np.full((64, 64, 3), 128, dtype=np.uint8)).save(buffer, format="PNG")
    recording = PostureRecording(
        patient=visit.patient, visit=visit, uploaded_by=actor, kind="image",
        mime_type="image/png", size_bytes=len(buffer.getvalue()), width=64, height=64,
        consent_confirmed=True, consent_confirmed_by=actor, consent_confirmed_at=timezone.now(),
        result={"kind": "image", "angles": {"rotation_deg": 20.0, "laterocollis_deg": 5.0,
                "flexion_deg": 0.0}, "quality": {"warnings": []}},
    )  # fmt: skip
    recording.original.save("matrix.png", ContentFile(buffer.getvalue()), save=False)
    recording.annotated.save("matrix-annotated.png", ContentFile(buffer.getvalue()), save=False)
    recording.save()
    return recording


def _staff_booking(clinician, patient, actor):
    """An appointment the front desk booked for patient A, next week at 10:00."""
    from datetime import datetime, time, timedelta

    from django.utils import timezone

    from collis.providers.models import Clinic, Location
    from collis.scheduling.actions import Contact, book_appointment
    from collis.scheduling.models import AppointmentType

    follow_up = AppointmentType.objects.create(
        name="Matrix follow-up", slug="matrix-follow-up", duration_minutes=20
    )
    follow_up.clinicians.add(clinician)
    owner = Clinic.objects.create(name="Matrix clinic", phone="(312) 555-0100")
    location = Location.objects.create(
        clinic=owner, name="Matrix", slug="matrix", street="1 Main St", city="Chicago"
    )
    clinician.locations.add(location)  # nobody is booked where the clinician does not work
    start = datetime.combine(timezone.localdate() + timedelta(days=7), time(10)).replace(
        tzinfo=timezone.get_current_timezone()
    )
    contact = Contact(patient.given_name, patient.family_name, patient.email, "", None)
    return book_appointment(
        appointment_type=follow_up,
        start=start,
        contact=contact,
        clinician=clinician,
        location=location,
        patient=patient,
        source="staff",
        override_reason="access-matrix fixture",
        actor=actor,
    )
