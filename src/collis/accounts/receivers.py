"""Sign-in events: audit every sign-in and failed sign-in; mark sessions that need 2FA."""

from __future__ import annotations

from collis.accounts.two_factor import mark_session
from collis.audit.actions import Action, record_access

USERNAME_LOG_LENGTH = 150


def on_user_logged_in(sender, request, user, **kwargs) -> None:
    if request is None:
        return
    mark_session(request, user)
    record_access(
        request, Action.LOGIN, user, object_type="auth.User", user=user, detail={"factor": "first"}
    )


def on_user_login_failed(sender, credentials, request=None, **kwargs) -> None:
    # credentials arrive cleansed (the password is masked); keep only the attempted username.
    username = str(credentials.get("username", ""))[:USERNAME_LOG_LENGTH]
    from collis.accounts import lockout

    if lockout.record_failure(username):
        lockout.notify_owner(username)
    record_access(
        request,
        Action.LOGIN_FAILED,
        object_type="auth.User",
        detail={"factor": "first", "username": username},
    )
