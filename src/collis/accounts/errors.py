"""Errors of account, sign-in and privacy actions.

Tree::

    AccountsError (ValueError)                accounts.*
      InviteError                             accounts.invite
        PatientHasNoEmailError                accounts.invite.no_email
        PatientAlreadyHasAccountError         accounts.invite.has_account
        UsernameTakenError                    accounts.invite.username_taken
        ReverifyIdentityError                 accounts.invite.reverify
      LinkError                               accounts.link
      TwoFactorError                          accounts.two_factor
        WrongCodeError                        accounts.two_factor.wrong_code
        WrongPasswordError                    accounts.two_factor.wrong_password
        TwoFactorRequiredError                accounts.two_factor.required
        ReauthenticationRequiredError         accounts.two_factor.reauthenticate
      AnonymisationError                      accounts.anonymise
        AlreadyAnonymisedError                accounts.anonymise.done
        ConfirmationMismatchError             accounts.anonymise.confirmation
"""

from __future__ import annotations

from typing import ClassVar

from collis.lib.errors import DomainError


class AccountsError(DomainError, ValueError):
    """Base error; ``str(error)`` is a message safe to show to the user."""

    code: ClassVar[str] = "accounts"


class InviteError(AccountsError):
    code = "accounts.invite"


class PatientHasNoEmailError(InviteError):
    code = "accounts.invite.no_email"


class PatientAlreadyHasAccountError(InviteError):
    code = "accounts.invite.has_account"


class UsernameTakenError(InviteError):
    code = "accounts.invite.username_taken"


class ReverifyIdentityError(InviteError):
    """The email changed since registration: only an administrator, re-verifying, may invite."""

    code = "accounts.invite.reverify"


class LinkError(AccountsError):
    code = "accounts.link"


class TwoFactorError(AccountsError):
    code = "accounts.two_factor"


class WrongCodeError(TwoFactorError):
    code = "accounts.two_factor.wrong_code"


class WrongPasswordError(TwoFactorError):
    code = "accounts.two_factor.wrong_password"


class TwoFactorRequiredError(TwoFactorError):
    code = "accounts.two_factor.required"


class ReauthenticationRequiredError(TwoFactorError):
    code = "accounts.two_factor.reauthenticate"


class AnonymisationError(AccountsError):
    code = "accounts.anonymise"


class AlreadyAnonymisedError(AnonymisationError):
    code = "accounts.anonymise.done"


class ConfirmationMismatchError(AnonymisationError):
    code = "accounts.anonymise.confirmation"
