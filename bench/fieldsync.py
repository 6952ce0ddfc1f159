"""Benchmark of ODK Collect submissions over HTTP, log entry included.

    .venv/bin/python bench/fieldsync.py [--count 2000]
    bash scripts/with-postgres.sh .venv/bin/python bench/fieldsync.py

Into the database of DATABASE_URL (a fresh SQLite file in a temporary data dir when unset).
`ceasefire serve --no-worker` runs as a subprocess on loopback (gunicorn, its default two
workers, the whole middleware stack) and clients POST corridor crossing counts, a nine-field
form, exactly as Collect does (multipart, a device token in the path, `?deviceID=`): one client,
then four processes at once. Every submission is a new record with its log entry. Beside it,
as the baseline, the same requests to a bare Django view (it parses the multipart body and
answers 201) served the same way; the ratio is the baseline's time over ours.
"""

import argparse
import multiprocessing
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Sequence
from datetime import date, timedelta
from http.client import HTTPConnection
from typing import cast

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, path
from django.views.decorators.csrf import csrf_exempt

BOUNDARY = "----CollectBenchBoundary"
BARE = "/bench/bare"
CHECKPOINTS = 25
WARMUP = 40


@csrf_exempt
def bare(request: HttpRequest) -> HttpResponse:
    """The baseline: what any Django view taking Collect's POST does at least."""
    request.FILES.get("xml_submission_file")
    return HttpResponse(b"<OpenRosaResponse/>", status=201, content_type="text/xml")


# The served URLconf: the bare view, then the product's routes (see serve()).
urlpatterns: list[URLPattern | URLResolver] = [path("bench/bare", bare, name="bench_bare")]


def multipart(xml: bytes) -> bytes:
    return (
        (
            f"--{BOUNDARY}\r\n"
            'Content-Disposition: form-data; name="xml_submission_file"; '
            'filename="corridor_crossings_2026-11-25_10-30-00.xml"\r\n'
            "Content-Type: text/xml\r\n\r\n"
        ).encode()
        + xml
        + f"\r\n--{BOUNDARY}--\r\n".encode()
    )


def bodies(first: int, count: int) -> list[bytes]:
    """Submissions `first` .. `first + count`: each a checkpoint, day and direction of its own,
    since a day's counts at a checkpoint are recorded once."""
    out = []
    for number in range(first, first + count):
        checkpoint = f"bench-{number % CHECKPOINTS}"
        day = date(2026, 11, 1) - timedelta(days=number // (CHECKPOINTS * 2))
        direction = ("inbound", "outbound")[number // CHECKPOINTS % 2]
        xml = (
            '<?xml version="1.0" ?><data xmlns:jr="http://openrosa.org/javarosa" '
            'xmlns:orx="http://openrosa.org/xforms" id="corridor_crossings" version="1">'
            f"<checkpoint>{checkpoint}</checkpoint><day>{day.isoformat()}</day>"
            f"<direction>{direction}</direction><men>12</men><women>9</women>"
            "<children>4</children><elderly>2</elderly><disabled>1</disabled>"
            f"<vehicles>3</vehicles><meta><instanceID>uuid:{uuid.uuid4()}</instanceID></meta>"
            "</data>"
        ).encode()
        out.append(multipart(xml))
    return out


def post_all(port: int, url: str, payloads: Sequence[bytes]) -> tuple[float, float, list[float]]:
    """POST each payload on a new connection (gunicorn's sync workers close each one), as Collect
    sends a queue of finalized forms; returns start, end and each request's latency."""
    headers = {
        "Content-Type": f"multipart/form-data; boundary={BOUNDARY}",
        "X-OpenRosa-Version": "1.0",
        "User-Agent": "org.odk.collect.android/v2025.2.1",
    }
    latencies = []
    started = time.perf_counter()
    for payload in payloads:
        sent = time.perf_counter()
        connection = HTTPConnection("127.0.0.1", port)
        connection.request("POST", url, body=payload, headers=headers)
        response = connection.getresponse()
        answer = response.read()
        connection.close()
        if response.status != 201:
            raise SystemExit(f"{url}: {response.status} {answer.decode(errors='replace')}")
        latencies.append(time.perf_counter() - sent)
    return started, time.perf_counter(), latencies


def _post_share(args: tuple[int, str, list[bytes]]) -> tuple[float, float, list[float]]:
    return post_all(*args)


def run(port: int, url: str, payloads: list[bytes], clients: int) -> tuple[str, float]:
    """Figures for `payloads` sent by `clients` processes at once (perf_counter is the system's
    monotonic clock, so the processes' times compare)."""
    shares = [(port, url, payloads[n::clients]) for n in range(clients)]
    if clients == 1:
        results = [post_all(*shares[0])]
    else:
        with multiprocessing.get_context("fork").Pool(clients) as pool:
            results = pool.map(_post_share, shares)
    seconds = max(end for _s, end, _l in results) - min(start for start, _e, _l in results)
    latencies = sorted(latency for _s, _e, share in results for latency in share)
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    return (
        f"{len(payloads) / seconds:>7,.0f} submissions/s  "
        f"p50 {statistics.median(latencies) * 1000:5.1f} ms  p99 {p99 * 1000:5.1f} ms"
    ), len(payloads) / seconds


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def start(command: list[str], port: int, url: str) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 300  # collectstatic first; slow on a busy machine
    while time.monotonic() < deadline:
        try:
            connection = HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("HEAD", url)
            connection.getresponse().read()
            return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit(f"the server did not start: {' '.join(command)}")


def serve(port: int) -> None:
    """`ceasefire serve --no-worker` with this module as the URLconf: the product's routes and
    the bare view, served by the same workers with the same settings and middleware."""
    import django
    from django.conf import settings

    django.setup()
    from ceasefire import cli, permissions, urls

    settings.ROOT_URLCONF = __name__
    urlpatterns.extend(cast(list[URLPattern | URLResolver], urls.urlpatterns))
    permissions.ROUTE_ROLES["bench_bare"] = {"POST": permissions.EVERYONE}
    cli.main(["serve", "--no-worker", "--host", "127.0.0.1", "--port", str(port)])


def prepare() -> str:
    """A field officer, the checkpoints and a phone; returns the phone's token."""
    import django

    django.setup()
    from django.core.management import call_command

    from ceasefire.accounts import services as accounts
    from ceasefire.accounts.roles import Role
    from ceasefire.fieldsync import services as fieldsync
    from ceasefire.places import services as places
    from ceasefire.places.models import Place

    call_command("migrate", verbosity=0)
    officer = accounts.user_create(
        username="bench", password="x", roles=[Role.FIELD_OFFICER], check_password=False
    )
    for number in range(CHECKPOINTS):
        places.place_create(
            code=f"bench-{number}",
            kind=Place.Kind.CHECKPOINT,
            names=[places.NameForm(language="en", name=f"Bench {number}", neutral=True)],
        )
    _device, token = fieldsync.device_create(user=officer, name="Bench phone")
    return token


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Benchmark of ODK Collect submissions.")
    parser.add_argument("--count", type=int, default=2000, help="submissions per measurement")
    parser.add_argument("--serve", type=int, metavar="PORT", help=argparse.SUPPRESS)
    options = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ceasefire.settings")
    if options.serve:
        serve(options.serve)
        return
    os.environ.setdefault("CEASEFIRE_DATA_DIR", tempfile.mkdtemp(prefix="ceasefire-bench-"))
    token = prepare()
    from django.db import connection

    port = free_port()
    submission = f"/fieldsync/t/{token}/submission?deviceID=collect:BenchPhone0001"
    print(
        f"ODK Collect submissions over HTTP on {connection.vendor}, {options.count:,} per run, "
        f"{os.cpu_count()} CPUs"
    )
    server = start([sys.executable, __file__, "--serve", str(port)], port, submission)
    try:
        sent = 0
        for url in (submission, BARE):
            run(port, url, bodies(sent, WARMUP), 1)
            sent += WARMUP
        for clients in (1, 4):
            baseline, bare_rate = run(port, BARE, bodies(0, options.count), clients)
            ours, ours_rate = run(port, submission, bodies(sent, options.count), clients)
            sent += options.count
            label = f"{clients} client{'s' if clients > 1 else ''}"
            print(f"  {label:<10} bare Django view {baseline}")
            print(f"  {'':<10} submission       {ours}  ratio to bare {ours_rate / bare_rate:.2f}")
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
