from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache

from collis.ops.probes import readiness


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness: the process answers. No dependencies are touched."""
    return JsonResponse({"status": "ok"})


@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    """Readiness: 200 while the database answers, else 503; broker and cache are reported only.

    ``status`` is ``ready``, ``degraded`` (serving, but a broker or cache is down: jobs wait,
    pages are uncached) or ``unavailable``.
    """
    results = readiness()
    ready = all(r.ok for r in results if r.required)
    status = "unavailable"
    if ready:
        status = "ready" if all(r.ok for r in results) else "degraded"
    body = {
        "status": status,
        "checks": {
            r.name: {"ok": r.ok, "required": r.required, "detail": r.detail, "ms": r.millis}
            for r in results
        },
    }
    return JsonResponse(body, status=200 if ready else 503)
