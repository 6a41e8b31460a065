"""Personas as signed-in clients, and the patients the access tests point at."""

from __future__ import annotations

import pytest
from django.test import Client

from collis.accounts.actions import ensure_user_with_role
from collis.accounts.roles import Role
from collis.accounts.testing import sign_in_with_second_factor
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
