"""Sign-in, two-factor and password pages. Thin: forms parse, actions write.

The pages that need a patient record (start, the account home, privacy, invitations and
linking) live in ``collis.patients.account_views``, under the same ``accounts:`` URL names.
"""

from __future__ import annotations

import math
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from collis.accounts import two_factor
from collis.accounts.actions import activate_patient_account
from collis.accounts.errors import AccountsError
from collis.accounts.forms import EnrolmentForm, TokenForm, TwoFactorOffForm
from collis.lib.redirects import safe_next
from collis.lib.throttle import rate_limit


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
    next_url = safe_next(request, reverse("accounts:start"))
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
    next_url = safe_next(request, reverse("accounts:security"))
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
