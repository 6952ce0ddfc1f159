"""Load test of the main pages and the API, on this machine's loopback only.

    .venv/bin/python bench/load.py [--clients 20] [--seconds 20] [--workers 2]
    .venv/bin/python bench/load.py --scale 1000000 --data-dir /tmp/ceasefire-1m

Loads the demo scenario (with `--scale N`, N more registry items, as `ceasefire demo --scale`
does) into a fresh database (DATABASE_URL, else SQLite in a data dir: `--data-dir`, kept for the
next run, which skips the loading when that dir holds it already; a temporary one without it),
serves it with `ceasefire serve --no-worker` and, in the same run, a bare Django view under the
same gunicorn settings as the baseline. `--clients` threads with keep-alive connections request
every page of the menu and every list of the API that needs no argument, as an analyst (a bearer
token) and anonymously, for `--seconds` each, after `--warmup` seconds not measured. Prints
requests/s and p50/p99 latency per route and overall, the ratio to the bare view, and whether
p99 <= 150 ms with zero errors.
"""

from __future__ import annotations

import argparse
import http.client
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path

P99_LIMIT_MS = 150


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def wait_for(port: int, path: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server on port {port} stopped while starting")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", path)
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"the server on port {port} did not answer")


def hammer(
    port: int, targets: Sequence[tuple[str, dict[str, str]]], clients: int, seconds: float
) -> tuple[list[tuple[str, float]], list[str], float]:
    """Request the targets round-robin from `clients` threads; return (path, seconds) per
    answer, the errors, and the elapsed time."""
    results: list[tuple[str, float]] = []
    errors: list[str] = []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client(number: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine: list[tuple[str, float]] = []
        position = number
        while time.monotonic() < deadline:
            path, headers = targets[position % len(targets)]
            position += 1
            started = time.perf_counter()
            try:
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                response.read()
                if response.status != 200:
                    errors.append(f"{path}: {response.status}")
            except (OSError, http.client.HTTPException) as exc:
                errors.append(f"{path}: {exc!r}")
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                continue
            mine.append((path, time.perf_counter() - started))
        with lock:
            results.extend(mine)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors, time.perf_counter() - began


def figures(latencies: Sequence[float], elapsed: float) -> tuple[float, float, float]:
    """Requests/s, p50 and p99 in milliseconds."""
    cuts = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [latencies[0]] * 99
    return len(latencies) / elapsed, cuts[49] * 1000, cuts[98] * 1000


def targets(env: dict[str, str]) -> list[tuple[str, dict[str, str]]]:
    """Every menu page and argument-free API list an analyst may open, and the public ones
    anonymously, as found in the running code (so new apps are measured as they land)."""
    script = """
import json
from django.urls import NoReverseMatch, reverse
from ceasefire.accounts import services
from ceasefire.accounts.models import User
from ceasefire.core.access import may_access
from ceasefire.permissions import NAVIGATION, ROUTE_ROLES
analyst = User.objects.get(username="analyst")
token = services.token_create(user=analyst, role="analyst", name="load")[1]
routes = [route for route, _label in NAVIGATION]
routes += [r for r in ROUTE_ROLES if r.startswith("api:") and "GET" in ROUTE_ROLES[r]]
paths = []
for route in dict.fromkeys(routes):
    if route in ("api:openapi-view", "api:api-root"):
        continue
    try:
        path = reverse(route)
    except NoReverseMatch:
        continue
    if may_access(analyst, route):
        paths.append([path, may_access(None, route)])
print(json.dumps({"token": token, "paths": paths}))
"""
    done = subprocess.run(
        [sys.executable, "-m", "ceasefire.cli", "manage", "shell", "-c", script],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    import json

    found = json.loads(done.stdout.strip().splitlines()[-1])
    analyst = {"Authorization": f"Bearer {found['token']}"}
    chosen: list[tuple[str, dict[str, str]]] = []
    for path, public in found["paths"]:
        chosen.append((path, analyst))
        if public:
            chosen.append((path, {}))
    return chosen


def bare_app() -> None:
    """Serve one bare Django view with gunicorn: the baseline."""
    from django.conf import settings
    from django.http import HttpRequest, HttpResponse
    from django.urls import path

    def bare(request: HttpRequest) -> HttpResponse:
        return HttpResponse("ok")

    settings.configure(
        DEBUG=False,
        ALLOWED_HOSTS=["127.0.0.1"],
        ROOT_URLCONF=__name__,
        SECRET_KEY="bench-only-" + "x" * 40,
    )
    globals()["urlpatterns"] = [path("", bare)]
    import django
    from django.core.wsgi import get_wsgi_application
    from gunicorn.app.base import BaseApplication

    django.setup()
    application = get_wsgi_application()
    port, workers = int(sys.argv[2]), int(sys.argv[3])

    class Server(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            self.cfg.set("bind", f"127.0.0.1:{port}")
            self.cfg.set("workers", workers)

        def load(self) -> object:
            return application

    Server().run()


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Load test of the pages and the API.")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--warmup", type=float, default=5, help="seconds not measured, first")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers of each server")
    parser.add_argument("--scale", type=int, default=0, help="registry items added to the demo")
    parser.add_argument("--data-dir", type=Path, help="SQLite data dir, loaded once and kept")
    options = parser.parse_args(argv)

    env = dict(os.environ, CEASEFIRE_LANGUAGE="en", CEASEFIRE_LOG_LEVEL="WARNING")
    data = options.data_dir or Path(tempfile.mkdtemp(prefix="ceasefire-load-")) / "data"
    if "DATABASE_URL" not in env:
        env["CEASEFIRE_DATA_DIR"] = str(data)
    cli = [sys.executable, "-m", "ceasefire.cli"]
    loaded = data / f"loaded-scale-{options.scale}"
    if "DATABASE_URL" in env or not loaded.exists():
        started = time.perf_counter()
        scale = ["--scale", str(options.scale)] if options.scale else []
        subprocess.run([*cli, "demo", "--no-serve", *scale], env=env, check=True)
        print(f"demo loaded in {time.perf_counter() - started:.0f} s", flush=True)
        loaded.touch()
    paths = targets(env)

    port, bare_port = free_port(), free_port()
    servers = [
        subprocess.Popen(
            [*cli, "serve", "--no-worker", "--port", str(port), "--workers", str(options.workers)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        ),
        subprocess.Popen(
            [sys.executable, __file__, "--bare", str(bare_port), str(options.workers)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        ),
    ]
    try:
        wait_for(port, "/health", servers[0])
        wait_for(bare_port, "/", servers[1])
        # Steady state: each worker has compiled its templates and computed what it keeps
        # (figures kept until the log moves) before the clock starts.
        hammer(bare_port, [("/", {})], options.clients, options.warmup)
        hammer(port, paths, options.clients, options.warmup)
        bare_results, bare_errors, bare_elapsed = hammer(
            bare_port, [("/", {})], options.clients, options.seconds
        )
        results, errors, elapsed = hammer(port, paths, options.clients, options.seconds)
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=30)

    print(
        f"load: {options.clients} clients, {options.seconds:.0f} s, {options.workers} workers, "
        f"demo + {options.scale:,} items"
    )
    print(f"  {'route':<40} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8}")
    for path in dict.fromkeys(p for p, _h in paths):
        latencies = [seconds for p, seconds in results if p == path]
        if latencies:
            rate, p50, p99 = figures(latencies, elapsed)
            print(f"  {path:<40} {rate:>8.1f} {p50:>8.1f} {p99:>8.1f}")
    rate, p50, p99 = figures([s for _p, s in results], elapsed)
    bare_rate, bare_p50, bare_p99 = figures([s for _p, s in bare_results], bare_elapsed)
    print(f"  {'all pages and API':<40} {rate:>8.1f} {p50:>8.1f} {p99:>8.1f}")
    print(f"  {'bare Django view':<40} {bare_rate:>8.1f} {bare_p50:>8.1f} {bare_p99:>8.1f}")
    print(f"  ratio to the bare view: {rate / bare_rate:.3f} of its requests/s")
    print(f"  errors: {len(errors)} (bare view: {len(bare_errors)})")
    for error in sorted(set(errors))[:10]:
        print(f"    {error}")
    verdict = "met" if p99 <= P99_LIMIT_MS and not errors else "NOT met"
    print(f"  target p99 <= {P99_LIMIT_MS} ms with zero errors: {verdict}")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--bare"]:
        bare_app()
    else:
        main()
