from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render


@login_required
def account_home(request: HttpRequest) -> HttpResponse:
    """Send each role to its own starting page."""
    if request.user.is_staff:
        return redirect("admin:index")
    return render(request, "accounts/account_home.html")
