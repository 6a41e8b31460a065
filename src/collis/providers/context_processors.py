from django.http import HttpRequest

from collis.lib.fragments import cached_value
from collis.providers.models import Clinic


def clinic(request: HttpRequest) -> dict[str, object]:
    """Expose the clinic to every template (header, footer, contact); cached until it is edited."""
    return {"clinic": cached_value(request, "clinic", Clinic.current)}
