"""The `ceasefire` command. Verbs that touch the database set Django up first; a bad
configuration ends with one clear line and exit status 2, not a stack trace."""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
from collections.abc import Callable, Sequence
from typing import Any


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ceasefire.settings")
    import django

    django.setup()


def _check_migrations() -> None:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        raise SystemExit(_("The database is not up to date. Run: ceasefire manage migrate"))


def _(message: str) -> str:
    from django.utils.translation import gettext

    return gettext(message)


def cmd_serve(args: argparse.Namespace) -> int:
    from django.core.management import call_command
    from gunicorn.app.base import BaseApplication

    _check_migrations()
    call_command("collectstatic", interactive=False, verbosity=0)

    from ceasefire.wsgi import application

    class Server(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            self.cfg.set("bind", f"{args.host}:{args.port}")
            self.cfg.set("workers", args.workers)
            self.cfg.set("accesslog", "-")
            self.cfg.set("timeout", 120)

        def load(self) -> Callable[..., Any]:
            return application

    worker: subprocess.Popen[bytes] | None = None
    if not args.no_worker:
        worker = subprocess.Popen([sys.executable, "-m", "ceasefire.cli", "worker"])
    print(_("Serving on http://%(host)s:%(port)s/") % {"host": args.host, "port": args.port})
    try:
        Server().run()
    finally:
        if worker is not None:
            worker.send_signal(signal.SIGTERM)
            worker.wait(timeout=30)
    return 0


def cmd_worker(args: argparse.Namespace) -> int:
    from django.core.management import call_command

    options: dict[str, Any] = {"interval": args.interval, "no_startup_delay": True}
    if args.batch:
        options["batch"] = True
    call_command("db_worker", **options)
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from django.core.management import call_command

    from ceasefire.demo import DEMO_PASSWORD, DEMO_USERS, demo_loaded, load_demo

    call_command("migrate", interactive=False, verbosity=0)
    if demo_loaded():
        print(_("The demo scenario is already loaded in this database."))
    else:
        load_demo()
        print(_("Demo scenario loaded."))
    print(_("Demo logins (password for all: %(password)s):") % {"password": DEMO_PASSWORD})
    for username, _full_name, roles, party in DEMO_USERS:
        suffix = f" ({party})" if party else ""
        print(f"  {username:<16} {', '.join(roles)}{suffix}")
    if args.no_serve:
        return 0
    return cmd_serve(args)


def cmd_createuser(args: argparse.Namespace) -> int:
    import getpass

    from ceasefire.accounts import services
    from ceasefire.accounts.models import Party
    from ceasefire.core.errors import CeasefireError

    party = None
    if args.party:
        party = Party.objects.filter(code=args.party).first()
        if party is None:
            print(_("No party with code %(code)s.") % {"code": args.party}, file=sys.stderr)
            return 2
    password = os.environ.get("CEASEFIRE_NEW_PASSWORD") or getpass.getpass(_("Password: "))
    try:
        user = services.user_create(
            username=args.username, password=password, roles=args.role, party=party
        )
    except CeasefireError as exc:
        print(exc.message, file=sys.stderr)
        return 2
    print(_("Created user %(name)s.") % {"name": user.username})
    return 0


def cmd_log(args: argparse.Namespace) -> int:
    from pathlib import Path

    from ceasefire.ledger import commands, services

    if args.log_verb == "key":
        return commands.key()
    if args.log_verb == "export":
        return commands.export(Path(args.directory))
    if args.log_verb == "proof":
        return commands.proof(args.index)
    if args.log_verb == "reveal":
        return commands.reveal(args.index, args.fields)
    if args.log_verb == "check-opening":
        return commands.check_opening(args.opening_file, args.log)
    if args.log_verb == "verify":
        return commands.verify(args.source, args.key, args.since, args.witness or [])
    if args.log_verb == "checkpoint":
        checkpoint = services.publish_checkpoint()
        print(_("Checkpoint at size %(size)s.") % {"size": checkpoint.size if checkpoint else "-"})
        return 0
    if args.log_verb == "publish-totals":
        entry = services.publish_totals()
        print(_("Totals published as log entry %(index)s.") % {"index": entry.index})
        return 0
    raise AssertionError(args.log_verb)


def cmd_manage(args: argparse.Namespace) -> int:
    from django.core.management import execute_from_command_line

    execute_from_command_line(["ceasefire manage", *args.arguments])
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ceasefire", description="Records system of a ceasefire-monitoring mission."
    )
    verbs = parser.add_subparsers(dest="verb", required=True)

    def add_serve_options(p: argparse.ArgumentParser) -> None:
        p.add_argument("--host", default="127.0.0.1")
        p.add_argument("--port", type=int, default=8000)
        p.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
        p.add_argument(
            "--no-worker", action="store_true", help="do not start a task worker beside it"
        )

    serve = verbs.add_parser("serve", help="serve the web app with gunicorn and a task worker")
    add_serve_options(serve)
    serve.set_defaults(func=cmd_serve)

    worker = verbs.add_parser("worker", help="run background tasks")
    worker.add_argument("--interval", type=float, default=1.0, help="seconds between polls")
    worker.add_argument("--batch", action="store_true", help="exit when the queue is empty")
    worker.set_defaults(func=cmd_worker)

    demo = verbs.add_parser("demo", help="load the demo scenario and serve it")
    add_serve_options(demo)
    demo.add_argument("--no-serve", action="store_true", help="load only, do not serve")
    demo.set_defaults(func=cmd_demo)

    createuser = verbs.add_parser("createuser", help="create a user with roles")
    createuser.add_argument("username")
    createuser.add_argument("--role", action="append", required=True, help="repeat for more")
    createuser.add_argument("--party", help="party code, for a liaison")
    createuser.set_defaults(func=cmd_createuser)

    log = verbs.add_parser("log", help="the public transparency log")
    log.set_defaults(func=cmd_log)
    log_verbs = log.add_subparsers(dest="log_verb", required=True)
    log_verbs.add_parser("key", help="print the log's verifier key (last line)")
    export = log_verbs.add_parser("export", help="write a static copy of the log to a directory")
    export.add_argument("directory")
    proof = log_verbs.add_parser("proof", help="print a tlog-proof that an entry is in the log")
    proof.add_argument("index", type=int)
    reveal = log_verbs.add_parser("reveal", help="print openings of an entry's sealed fields")
    reveal.add_argument("index", type=int)
    reveal.add_argument("fields", nargs="*", help="the fields to open (default: all)")
    check = log_verbs.add_parser("check-opening", help="check openings against the log")
    check.add_argument("opening_file", help="file of openings, one JSON per line, or -")
    check.add_argument("--log", help="URL or directory of a published log (default: this one)")
    verify = log_verbs.add_parser("verify", help="verify a published log completely")
    verify.add_argument("source", help="URL of the log (…/log) or an exported directory")
    verify.add_argument("--key", help="the mission's verifier key")
    verify.add_argument("--since", help="a checkpoint saved earlier, which must be a prefix")
    verify.add_argument(
        "--witness", action="append", help="a witness verifier key whose cosignature is required"
    )
    log_verbs.add_parser("checkpoint", help="sign and publish a checkpoint now")
    log_verbs.add_parser("publish-totals", help="compute and publish the public totals")

    manage = verbs.add_parser("manage", help="run a Django management command", add_help=False)
    manage.add_argument("arguments", nargs=argparse.REMAINDER)
    manage.set_defaults(func=cmd_manage)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from django.core.exceptions import ImproperlyConfigured

    try:
        _setup_django()
    except ImproperlyConfigured as exc:
        print(f"ceasefire: configuration error: {exc}", file=sys.stderr)
        return 2
    result: int = args.func(args)
    return result


if __name__ == "__main__":
    sys.exit(main())
