"""The account pages that need the patient record, mounted under the ``accounts:`` URL names.

Where each role lands after sign-in, the account home (with a patient's own data download),
the administrator's privacy desk (search, export, anonymise, link an account) and the portal
invitation. They live here, above ``accounts``, because they read and write ``Patient``;
``collis.patients.account_urls`` mounts them beside the sign-in pages of ``collis.accounts``.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from collis.accounts import two_factor
from collis.accounts.errors import AccountsError
from collis.accounts.guards import staff_member_required
from collis.accounts.models import PatientAnonymisation
from collis.accounts.roles import Role, is_clinician, is_front_desk
from collis.audit.actions import Action, record_access
from collis.lib.redirects import safe_next
from collis.patients.access import access_own_patient, access_patient
from collis.patients.actions import anonymise_patient, invite_patient, link_patient_account
from collis.patients.forms import AnonymiseForm, LinkAccountForm, PatientSearchForm, ReverifyForm
from collis.patients.models import Patient
from collis.patients.privacy import export_patient_json

SEARCH_LIMIT = 25


@login_required
def start(request: HttpRequest) -> HttpResponse:
    """After sign-in, send each role to where its work is."""
    user = request.user
    if is_clinician(user):
        return redirect("patients:patient-list")
    if is_front_desk(user):
        return redirect("scheduling:desk-calendar")
    if user.is_staff:
        return redirect("admin:index")
    if Patient.objects.filter(user=user).exists():
        return redirect("portal:home")
    return redirect("accounts:home")


@login_required
def account_home(request: HttpRequest) -> HttpResponse:
    """The account page: sign-in security and, for patients, their data."""
    patient = Patient.objects.filter(user=request.user).first()
    return render(
        request,
        "accounts/account_home.html",
        {"patient": patient, "two_factor_on": two_factor.has_second_factor(request.user)},
    )


def _json_download(content: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def my_data_export(request: HttpRequest) -> HttpResponse:
    """A patient downloads everything held about them, as JSON."""
    patient = access_own_patient(request.user)
    content = export_patient_json(patient)
    record_access(request, Action.EXPORT, patient, detail={"format": "json", "by": "patient"})
    return _json_download(content, f"collis-my-data-{patient.pk}.json")


@staff_member_required(role=Role.ADMINISTRATOR)
def privacy_home(request: HttpRequest) -> HttpResponse:
    form = PatientSearchForm(request.GET or None)
    patients: list[Patient] = []
    query = ""
    if form.is_valid() and form.cleaned_data["q"].strip():
        query = form.cleaned_data["q"].strip()
        patients = list(
            Patient.objects.filter(
                Q(mrn__iexact=query)
                | Q(family_name__icontains=query)
                | Q(given_name__icontains=query)
            ).select_related("anonymisation", "user")[:SEARCH_LIMIT]
        )
    return render(
        request,
        "accounts/privacy_home.html",
        {"form": form, "patients": patients, "query": query},
    )


@staff_member_required(role=Role.ADMINISTRATOR)
def patient_data_export(request: HttpRequest, pk: int) -> HttpResponse:
    patient = access_patient(request.user, pk)
    content = export_patient_json(patient)
    record_access(request, Action.EXPORT, patient, detail={"format": "json", "by": "administrator"})
    return _json_download(content, f"collis-patient-{patient.pk}.json")


@staff_member_required(role=Role.ADMINISTRATOR)
def patient_anonymise(request: HttpRequest, pk: int) -> HttpResponse:
    patient = access_patient(request.user, pk)
    done = PatientAnonymisation.objects.filter(patient=patient).first()
    form = AnonymiseForm(request.POST or None, patient=patient)
    if done is None and request.method == "POST" and form.is_valid():
        try:
            anonymise_patient(patient, request.user, form.cleaned_data["reason"], request=request)
        except AccountsError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Patient {patient.pk} is anonymised.")
            return redirect(f"{reverse('accounts:privacy')}?q=ANON-{patient.pk}")
    return render(
        request, "accounts/patient_anonymise.html", {"patient": patient, "form": form, "done": done}
    )


@staff_member_required(role={Role.ADMINISTRATOR, Role.FRONT_DESK})
@require_POST
def patient_invite(request: HttpRequest, pk: int) -> HttpResponse:
    patient = access_patient(request.user, pk)
    evidence = ""
    if request.POST.get("identity_evidence"):
        reverify = ReverifyForm(request.POST, actor=request.user)
        if not reverify.is_valid():
            messages.error(request, "Identity not re-verified: " + reverify.errors.as_text())
            return redirect(safe_next(request, reverse("accounts:privacy")))
        evidence = reverify.cleaned_data["identity_evidence"]
    try:
        invite_patient(patient, request, identity_evidence=evidence)
    except AccountsError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Invitation sent to {patient.email}.")
    fallback = reverse("admin:patients_patient_change", args=[patient.pk])
    return redirect(safe_next(request, fallback))


@staff_member_required(role=Role.ADMINISTRATOR)
def patient_link(request: HttpRequest, pk: int) -> HttpResponse:
    """Link a patient portal account to a record: identity and password re-verified, audited."""
    patient = access_patient(request.user, pk)
    form = LinkAccountForm(request.POST or None, actor=request.user, patient=patient)
    if request.method == "POST" and form.is_valid():
        try:
            link_patient_account(
                patient,
                form.account,
                actor=request.user,
                identity_evidence=form.cleaned_data["identity_evidence"],
                request=request,
            )
        except AccountsError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"{patient.full_name}'s record is linked to the account.")
            return redirect(f"{reverse('accounts:privacy')}?q={patient.mrn}")
    return render(request, "accounts/patient_link.html", {"patient": patient, "form": form})
