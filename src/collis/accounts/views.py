from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from collis.accounts.roles import Role, has_role


@login_required
def account_home(request: HttpRequest) -> HttpResponse:
    """Send each role to its own starting page."""
    if has_role(request.user, Role.CLINICIAN):
        return redirect("patients:patient-list")
    if request.user.is_staff:
        return redirect("admin:index")
    if hasattr(request.user, "patient"):
        return redirect("portal:home")
    return render(request, "accounts/account_home.html")
