from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache

from collis.ops.probes import readiness


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness: the process answers. No dependencies are touched."""
    return JsonResponse({"status": "ok"})


@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    """Readiness: 200 when the database (and broker, if any) answer, else 503 with details."""
    results = readiness()
    ready = all(r.ok for r in results)
    body = {
        "status": "ready" if ready else "unavailable",
        "checks": {r.name: {"ok": r.ok, "detail": r.detail, "ms": r.millis} for r in results},
    }
    return JsonResponse(body, status=200 if ready else 503)
