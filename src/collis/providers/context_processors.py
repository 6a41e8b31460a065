from django.http import HttpRequest

from collis.providers.models import Clinic


def clinic(request: HttpRequest) -> dict[str, object]:
    """Expose the clinic to every template (header, footer, contact)."""
    return {"clinic": Clinic.current()}
