from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from collis.interop.actions import ScopeError, issue_api_token


class Command(BaseCommand):
    help = "Issue a bearer token for a FHIR/API client; the secret is printed once."

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")
        parser.add_argument("--label", default="FHIR client")
        parser.add_argument(
            "--scope", action="append", default=[], help="e.g. Patient.read, *.read"
        )

    def handle(self, *args: object, **options: object) -> None:
        User = get_user_model()
        try:
            user = User.objects.get(username=options["username"])
        except User.DoesNotExist as exc:
            raise CommandError(f"No user {options['username']!r}") from exc
        scopes = list(options["scope"]) or ["*.read"]
        try:
            token, raw = issue_api_token(user, str(options["label"]), scopes)
        except ScopeError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Token for {user} with scopes {', '.join(token.scopes)}:\n{raw}")
