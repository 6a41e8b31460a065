"""CPU time and queries per request for the load test's pages (issue #20), load-independent.

Wall-clock latency on a shared 2-core machine measures the queue for a CPU, not Collis. This
measures what each request costs: ``time.process_time`` over N requests through Django's real
WSGI handler (``django.test.Client``) with the production settings (``DEBUG=false``, manifest
static files, cached template loader, persistent connections, the cache the settings pick), on a
fresh SQLite database seeded with the demo clinic. Pages are those of bench/load_test.py: the
patient pages (``PAGES``), the slots API and the front desk's two pages (signed in with a
verified second factor). Each page is measured in ``--rounds`` rounds of ``--requests`` requests;
the table shows the best round (least disturbed by other processes) and the queries of one request.

``--baseline REV`` runs the same measurement on ``git archive REV`` of src/ (the code before a
change) in the same run, alternating rounds between the two trees, and prints the ratio.

Usage: ``.venv/bin/python bench/bench_pages.py [--requests 40] [--rounds 3] [--baseline main]
[--profile PATH]`` (``--profile`` prints the top cProfile entries for that page).
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import subprocess
import sys
import tarfile
import tempfile
import time
from datetime import date, timedelta
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from load_test import BOOKING_TYPE, PAGES  # noqa: E402

STAFF_PAGES = ["/desk/", "/desk/recalls/"]


def slots_url() -> str:
    start = date.today() + timedelta(days=7)
    end = start + timedelta(days=2)
    return (
        f"/api/scheduling/slots?appointment_type={BOOKING_TYPE}"
        f"&date_from={start.isoformat()}&date_to={end.isoformat()}&limit=20"
    )


REDIS_PORT = 8669  # --redis: a private redis-server, as production's CACHE_URL


def production_env(var_dir: Path, src: Path, cache_url: str = "") -> dict[str, str]:
    env = dict(os.environ)
    for name in ("DATABASE_URL", "CACHE_URL", "CELERY_BROKER_URL"):
        env.pop(name, None)
    env.update(
        PYTHONPATH=str(src),
        DJANGO_SETTINGS_MODULE="collis.settings",
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="testserver,127.0.0.1",
        SECURE_SSL_REDIRECT="false",
        SECURE_COOKIES="false",
        COLLIS_VAR_DIR=str(var_dir),
        STATIC_ROOT=str(var_dir / "static"),
        MEDIA_ROOT=str(var_dir / "media"),
        EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
        JOBS_BACKEND="sync",
        # Production turns it on with its shared CACHE_URL; one process may use the memory cache.
        PUBLIC_FRAGMENT_CACHE="true",
        CACHE_URL=cache_url,
        LOG_LEVEL="WARNING",
        ACCESS_LOG_LEVEL="WARNING",
        COLLIS_OIDC_RSA_PRIVATE_KEY=os.environ.get("COLLIS_OIDC_RSA_PRIVATE_KEY", ""),
    )
    if not env["COLLIS_OIDC_RSA_PRIVATE_KEY"]:
        env.pop("COLLIS_OIDC_RSA_PRIVATE_KEY")
    return env


# ---------------------------------------------------------------- worker (one source tree)


def worker(args: argparse.Namespace) -> None:
    """Runs inside a subprocess whose PYTHONPATH is the tree under test; talks JSON lines."""
    # load_test's helpers put this checkout's src first; the tree under test is PYTHONPATH.
    src = os.environ["PYTHONPATH"]
    sys.path[:] = [src] + [p for p in sys.path if p not in (src, str(ROOT / "src"))]
    if any(name == "collis" or name.startswith("collis.") for name in sys.modules):
        raise SystemExit("collis was imported before the tree under test was put first")
    import django

    django.setup()
    import collis

    assert collis.__file__.startswith(src), (collis.__file__, src)
    from io import StringIO

    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    out = StringIO()
    call_command("migrate", "--noinput", verbosity=0, stdout=out)
    call_command("collectstatic", "--noinput", verbosity=0, stdout=out)
    call_command("seed_demo", stdout=out)

    from harness import signed_in_client

    from collis.accounts.actions import ensure_user_with_role
    from collis.accounts.roles import Role

    anonymous = Client()
    user = ensure_user_with_role("bench-desk", Role.FRONT_DESK, password="bench-desk-password-1")
    desk = signed_in_client(user)

    targets = [(path, anonymous) for path in PAGES]
    targets.append((slots_url(), anonymous))
    targets += [(path, desk) for path in STAFF_PAGES]

    def get(client: Client, path: str) -> None:
        response = client.get(path)
        if response.status_code != 200:
            raise SystemExit(f"{path}: {response.status_code}")
        response.content  # noqa: B018 - streamed bodies are rendered too

    for path, client in targets:  # warm: templates compiled, caches filled, connection open
        for _ in range(3):
            get(client, path)

    if args.queries:
        client = desk if args.queries in STAFF_PAGES else anonymous
        queries: list[str] = []

        def record(execute, sql, params, many, context):  # noqa: ANN001, ANN202
            queries.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(record):
            get(client, args.queries)
        print("\n".join(queries), file=sys.stderr)
        return

    if args.profile:
        import cProfile
        import pstats

        client = desk if args.profile in STAFF_PAGES else anonymous
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(args.requests):
            get(client, args.profile)
        profile.disable()
        stats = pstats.Stats(profile, stream=sys.stderr)
        stats.sort_stats("cumulative").print_stats(45)
        stats.sort_stats("tottime").print_stats(25)
        return

    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:  # one line per round from the parent
        if not line.strip():
            continue
        result = {}
        for path, client in targets:
            queries: list[str] = []

            def count(execute, sql, params, many, context, queries=queries):  # noqa: ANN001, ANN202
                queries.append(sql)
                return execute(sql, params, many, context)

            with connection.execute_wrapper(count):
                get(client, path)
            started = time.process_time()
            for _ in range(args.requests):
                get(client, path)
            cpu_ms = (time.process_time() - started) * 1000 / args.requests
            result[path] = {"cpu_ms": cpu_ms, "queries": len(queries)}
        print(json.dumps(result), flush=True)


# ---------------------------------------------------------------- parent


def archive_src(rev: str, into: Path) -> Path:
    data = subprocess.run(  # noqa: S603
        ["git", "archive", rev, "src"],  # noqa: S607
        cwd=ROOT,
        check=True,
        capture_output=True,
    ).stdout
    with tarfile.open(fileobj=BytesIO(data)) as tar:
        tar.extractall(into, filter="data")
    return into / "src"


class Tree:
    def __init__(
        self, label: str, src: Path, var_dir: Path, args: argparse.Namespace, cache_url: str
    ) -> None:
        self.label = label
        command = [
            sys.executable,
            __file__,
            "--worker",
            "--requests",
            str(args.requests),
        ]
        if args.profile:
            command += ["--profile", args.profile]
        if args.queries:
            command += ["--queries", args.queries]
        self.process = subprocess.Popen(  # noqa: S603
            command,
            env=production_env(var_dir, src, cache_url),
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.rounds: list[dict] = []

    def wait_ready(self) -> None:
        line = self.process.stdout.readline()
        if not line:
            raise SystemExit(f"{self.label}: the worker failed to start")

    def round(self) -> None:
        self.process.stdin.write("go\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            raise SystemExit(f"{self.label}: the worker died")
        self.rounds.append(json.loads(line))

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(60)

    def best(self) -> dict[str, dict]:
        return {
            path: {
                "cpu_ms": min(r[path]["cpu_ms"] for r in self.rounds),
                "queries": self.rounds[-1][path]["queries"],
            }
            for path in self.rounds[0]
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--baseline", help="git revision to compare with, e.g. main")
    parser.add_argument("--profile", help="cProfile one page (a path from the table)")
    parser.add_argument(
        "--redis", action="store_true", help=f"cache in a redis-server on port {REDIS_PORT}"
    )
    parser.add_argument("--queries", help="print the SQL of one request to a page")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args)
        return

    redis = None
    if args.redis:
        redis = subprocess.Popen(  # noqa: S603
            ["redis-server", "--port", str(REDIS_PORT), "--save", "", "--appendonly", "no"],  # noqa: S607
            stdout=subprocess.DEVNULL,
        )
        time.sleep(0.5)
    try:
        run(args)
    finally:
        if redis is not None:
            redis.terminate()
            redis.wait(10)


def run(args: argparse.Namespace) -> None:
    def cache_url(db: int) -> str:
        return f"redis://127.0.0.1:{REDIS_PORT}/{db}" if args.redis else ""

    with tempfile.TemporaryDirectory(prefix="collis-bench-pages-") as tmp:
        tmp_path = Path(tmp)
        trees = []
        if args.baseline:
            base_src = archive_src(args.baseline, tmp_path / "baseline")
            trees.append(
                Tree(f"{args.baseline}", base_src, tmp_path / "var-base", args, cache_url(1))
            )
        trees.append(Tree("this tree", ROOT / "src", tmp_path / "var-this", args, cache_url(2)))
        if args.profile or args.queries:
            for tree in trees:
                print(f"== {tree.label}", file=sys.stderr, flush=True)
                tree.process.wait()
            return
        for tree in trees:
            tree.wait_ready()
        for _ in range(args.rounds):
            for tree in trees:  # alternate, so drift in machine load hits both alike
                tree.round()
        for tree in trees:
            tree.close()
        report(trees, args)


def report(trees: list[Tree], args: argparse.Namespace) -> None:
    load = os.getloadavg()
    cache = f"Redis on :{REDIS_PORT}" if args.redis else "per-process memory"
    print(
        f"CPU ms per request (best of {args.rounds} rounds x {args.requests} requests), "
        f"queries per request; cache: {cache}; "
        f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
    )
    results = [tree.best() for tree in trees]
    header = "| page |"
    rule = "|---|"
    for tree in trees:
        header += f" {tree.label} CPU ms | queries |"
        rule += "---|---|"
    if len(trees) == 2:
        header += " ratio |"
        rule += "---|"
    print(header)
    print(rule)
    totals = [0.0] * len(trees)
    pages = list(results[-1])
    for path in pages:
        row = f"| `{path.split('&')[0]}` |"
        for i, result in enumerate(results):
            row += f" {result[path]['cpu_ms']:.1f} | {result[path]['queries']} |"
            totals[i] += result[path]["cpu_ms"]
        if len(trees) == 2:
            row += f" {results[1][path]['cpu_ms'] / results[0][path]['cpu_ms']:.2f} |"
        print(row)
    pages_only = [p for p in pages if p in PAGES]
    row = "| mean of the load test's PAGES |"
    means = []
    for result in results:
        mean = sum(result[p]["cpu_ms"] for p in pages_only) / len(pages_only)
        means.append(mean)
        row += f" {mean:.1f} | |"
    if len(trees) == 2:
        row += f" {means[1] / means[0]:.2f} |"
    print(row)


if __name__ == "__main__":
    main()
