"""Sign-in, two-factor, password and activation pages.

Mounted through ``collis.patients.account_urls``, which adds the account pages that need the
patient record to the same ``accounts:`` namespace.
"""

from django.contrib.auth import views as auth_views
from django.urls import path

from collis.accounts import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("security/", views.security, name="security"),
    path("two-factor/verify/", views.two_factor_verify, name="two-factor-verify"),
    path("two-factor/setup/", views.two_factor_setup, name="two-factor-setup"),
    path("two-factor/backup-codes/", views.two_factor_backup_codes, name="two-factor-backup-codes"),
    path("two-factor/disable/", views.two_factor_disable, name="two-factor-disable"),
    path("password/change/", views.PasswordChangeView.as_view(), name="password-change"),
    path(
        "password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(
            template_name="accounts/password_change_done.html"
        ),
        name="password-change-done",
    ),
    path("password/reset/", views.PasswordResetView.as_view(), name="password-reset"),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password-reset-done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password-reset-confirm",
    ),
    path(
        "password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password-reset-complete",
    ),
    path("activate/<uidb64>/<token>/", views.ActivateAccountView.as_view(), name="activate"),
]
