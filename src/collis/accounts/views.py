"""Sign-in, two-factor, account and privacy pages. Thin: forms parse, actions write."""

from __future__ import annotations

import math
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from collis.accounts import two_factor
from collis.accounts.actions import (
    activate_patient_account,
    anonymise_patient,
    invite_patient,
    link_patient_account,
)
from collis.accounts.errors import AccountsError
from collis.accounts.forms import (
    AnonymiseForm,
    EnrolmentForm,
    LinkAccountForm,
    PatientSearchForm,
    ReverifyForm,
    TokenForm,
    TwoFactorOffForm,
)
from collis.accounts.guards import staff_member_required
from collis.accounts.models import PatientAnonymisation
from collis.accounts.privacy import export_patient_json
from collis.accounts.roles import Role, is_clinician, is_front_desk
from collis.audit.actions import Action, record_access
from collis.lib.throttle import rate_limit
from collis.patients.access import access_own_patient, access_patient
from collis.patients.models import Patient

SEARCH_LIMIT = 25


def _safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


# Axes locks one username+address pair; this caps how fast one address may try many usernames.
@method_decorator(rate_limit("30/m", scope="accounts.login", methods=("POST",)), name="dispatch")
class LoginView(auth_views.LoginView):
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        # The per-account ceiling across addresses (accounts.lockout); axes handles the pairs.
        from collis.accounts import lockout

        wait = lockout.blocked_seconds(
            request.POST.get("username", ""), request.META.get("REMOTE_ADDR")
        )
        if wait:
            response = render(
                request, "accounts/lockout.html", {"minutes": -(-wait // 60)}, status=429
            )
            response["Retry-After"] = str(wait)
            return response
        return super().post(request, *args, **kwargs)


def locked_out(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """The page axes shows after too many failed sign-ins (AXES_LOCKOUT_CALLABLE)."""
    from axes.helpers import get_cool_off

    cool_off = get_cool_off(request)
    minutes = math.ceil(cool_off.total_seconds() / 60) if cool_off else None
    response = render(request, "accounts/lockout.html", {"minutes": minutes}, status=429)
    if cool_off:
        response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(
        request,
        "403.html",
        {"message": "Your form expired or came from another site. Go back, reload and retry."},
        status=403,
    )


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


@login_required
def security(request: HttpRequest) -> HttpResponse:
    user = request.user
    context = {
        "two_factor_on": two_factor.has_second_factor(user),
        "backup_codes_left": two_factor.remaining_backup_codes(user),
        "must_have_two_factor": user.is_staff,
    }
    return render(request, "accounts/security.html", context)


@login_required
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    next_url = _safe_next(request, reverse("accounts:start"))
    if two_factor.is_verified(request.user) or not two_factor.second_factor_required(request):
        return redirect(next_url)
    if not two_factor.has_second_factor(request.user):
        return redirect(f"{reverse('accounts:two-factor-setup')}?{urlencode({'next': next_url})}")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            two_factor.verify_second_factor(request, form.cleaned_data["token"])
        except AccountsError as error:
            form.add_error("token", str(error))
        else:
            return redirect(next_url)
    return render(request, "accounts/two_factor_verify.html", {"form": form, "next": next_url})


@login_required
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    user = request.user
    # Someone holding only the password must not swap in their own authenticator.
    if two_factor.has_second_factor(user) and not two_factor.is_verified(user):
        return redirect("accounts:two-factor-verify")
    next_url = _safe_next(request, reverse("accounts:security"))
    device = two_factor.pending_totp_device(user)
    replacing = two_factor.has_second_factor(user)
    form = EnrolmentForm(request.POST or None, ask_password=replacing)
    if request.method == "POST" and form.is_valid():
        try:
            if replacing:
                two_factor.require_reauthentication(request, form.cleaned_data["password"])
            codes = two_factor.confirm_totp_device(request, device, form.cleaned_data["token"])
        except AccountsError as error:
            form.add_error("token", str(error))
        else:
            return render(
                request,
                "accounts/two_factor_backup_codes.html",
                {"codes": codes, "just_enrolled": True, "next": next_url},
            )
    context = {
        "form": form,
        "qr_svg": two_factor.qr_code_svg(device),
        "secret": two_factor.secret_for_manual_entry(device),
        "next": next_url,
        "replacing": replacing,
    }
    return render(request, "accounts/two_factor_setup.html", context)


@login_required
def two_factor_backup_codes(request: HttpRequest) -> HttpResponse:
    if not two_factor.has_second_factor(request.user):
        messages.info(request, _("Turn on two-factor sign-in first; backup codes come with it."))
        return redirect("accounts:security")
    if request.method == "POST":
        try:
            codes = two_factor.regenerate_backup_codes(request, request.POST.get("password", ""))
        except AccountsError as error:
            messages.error(request, str(error))
            return redirect("accounts:two-factor-backup-codes")
        return render(request, "accounts/two_factor_backup_codes.html", {"codes": codes})
    return render(
        request,
        "accounts/two_factor_backup_codes.html",
        {"codes": None, "left": two_factor.remaining_backup_codes(request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_disable(request: HttpRequest) -> HttpResponse:
    """Ask first, then turn two-factor sign-in off with the password and a current code."""
    if request.user.is_staff:
        raise PermissionDenied("Staff accounts must keep two-factor sign-in.")
    if not two_factor.has_second_factor(request.user):
        return redirect("accounts:security")
    form = TwoFactorOffForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            two_factor.disable_two_factor(
                request, password=form.cleaned_data["password"], token=form.cleaned_data["token"]
            )
        except AccountsError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("Two-factor sign-in is off. Sign-in now asks for your password only.")
            )
            return redirect("accounts:security")
    return render(request, "accounts/two_factor_disable.html", {"form": form})


@method_decorator(
    rate_limit("5/h", scope="accounts.password-reset", methods=("POST",)), name="dispatch"
)
class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset_form.html"
    success_url = reverse_lazy("accounts:password-reset-done")
    email_template_name = "accounts/email/password_reset_body.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password-reset-complete")


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change_form.html"
    success_url = reverse_lazy("accounts:password-change-done")


class ActivateAccountView(auth_views.PasswordResetConfirmView):
    """An invited patient follows the emailed link and chooses a password, which activates."""

    template_name = "accounts/activate.html"
    success_url = reverse_lazy("accounts:home")
    reset_url_token = "set-password"  # noqa: S105 (a URL segment, not a secret)

    def get_user(self, uidb64: str):
        user = super().get_user(uidb64)
        return user if user is not None and not user.is_active else None

    def form_valid(self, form) -> HttpResponse:
        user = activate_patient_account(form.user, form.cleaned_data["new_password1"])
        del self.request.session[auth_views.INTERNAL_RESET_SESSION_TOKEN]
        auth_login(self.request, user, "django.contrib.auth.backends.ModelBackend")
        messages.success(
            self.request,
            _(
                "Your account is active. For extra safety, turn on two-factor sign-in under "
                "Security."
            ),
        )
        return redirect(self.success_url)


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
            return redirect(_safe_next(request, reverse("accounts:privacy")))
        evidence = reverify.cleaned_data["identity_evidence"]
    try:
        invite_patient(patient, request, identity_evidence=evidence)
    except AccountsError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Invitation sent to {patient.email}.")
    fallback = reverse("admin:patients_patient_change", args=[patient.pk])
    return redirect(_safe_next(request, fallback))


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
