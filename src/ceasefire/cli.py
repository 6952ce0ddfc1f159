"""The `ceasefire` command. Django is set up before the arguments are read, so that help and
messages are in the operator's language (`CEASEFIRE_LANGUAGE`, else the POSIX locale, else
English); a bad configuration ends with one clear line and exit status 2, not a stack trace."""

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
    from django.apps import apps
    from django.utils.translation import gettext

    # Without a working configuration there are no catalogues: help still answers, in English.
    return gettext(message) if apps.ready else message


def operator_language() -> str:
    """`CEASEFIRE_LANGUAGE`, else the language of the POSIX locale (LC_ALL, LC_MESSAGES, LANG,
    the first one set) when the mission speaks it, else the default language."""
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    from ceasefire.core.config import env_str

    supported = [code for code, _name in settings.LANGUAGES]
    chosen = env_str("CEASEFIRE_LANGUAGE", "").strip().lower()
    if chosen:
        if chosen not in supported:
            raise ImproperlyConfigured(
                f"CEASEFIRE_LANGUAGE must be one of {', '.join(supported)}, not {chosen!r}."
            )
        return chosen
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "")
        if value:
            # ru_RU.UTF-8, hy_AM, az_AZ.UTF-8@latin -> ru, hy, az; C and POSIX match nothing.
            code = value.split(".")[0].split("@")[0].split("_")[0].lower()
            return code if code in supported else settings.LANGUAGE_CODE
    return settings.LANGUAGE_CODE


def cmd_serve(args: argparse.Namespace) -> int:
    from django.core.management import call_command
    from gunicorn.app.base import BaseApplication

    from ceasefire.logs import gunicorn_logger

    _check_migrations()
    call_command("collectstatic", interactive=False, verbosity=0)

    from django.db import connections

    from ceasefire.wsgi import application

    # Workers keep their database connections between requests: none may inherit the master's.
    connections.close_all()

    class Server(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            self.cfg.set("bind", f"{args.host}:{args.port}")
            self.cfg.set("workers", args.workers)
            self.cfg.set("accesslog", "-")
            self.cfg.set("logger_class", gunicorn_logger())
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

    from ceasefire.accounts.demo import demo_two_factor_keys
    from ceasefire.demo import DEMO_PASSWORD, DEMO_USERS, demo_loaded, load_demo
    from ceasefire.ledger.services import publish_checkpoint
    from ceasefire.ledger.witnessing import start_demo_witnesses

    call_command("migrate", interactive=False, verbosity=0)
    # One witness per party cosigns the demo's checkpoints while it is served.
    witnesses = [] if args.no_serve else start_demo_witnesses()
    if demo_loaded():
        print(_("The demo scenario is already loaded in this database."))
    else:
        load_demo()
        print(_("Demo scenario loaded."))
    if args.scale:
        from ceasefire.reports.commands import scale

        scale(args.scale)
    from django.db import connection

    from ceasefire.core.sqlite.base import analyze

    analyze(connection)  # the planner's statistics, for the data just loaded
    # Published at once, so the log, /verify pages and totals read as a mission's would, with or
    # without a worker running.
    publish_checkpoint()
    print(_("Demo logins (password for all: %(password)s):") % {"password": DEMO_PASSWORD})
    for username, _full_name, roles, party in DEMO_USERS:
        suffix = f" ({party})" if party else ""
        print(f"  {username:<16} {', '.join(roles)}{suffix}")
    print(
        _(
            "Admins and protection officers then give a code from an authenticator app. Add "
            "these keys to one, or run `oathtool --totp -b KEY`:"
        )
    )
    for username, key in demo_two_factor_keys():
        print(f"  {username:<16} {key}")
    if args.no_serve:
        return 0
    try:
        return cmd_serve(args)
    finally:
        for process in witnesses:
            process.terminate()
            process.wait(timeout=10)


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


def cmd_witness(args: argparse.Namespace) -> int:
    from pathlib import Path

    from ceasefire.ledger import witness, witness_server

    state_dir = Path(args.dir)
    if args.witness_verb == "init":
        witness.init(state_dir, args.name, args.trust or [])
        print(_("Witness state in %(dir)s.") % {"dir": state_dir})
        return 0
    loaded = witness.Witness.load(state_dir)
    if args.witness_verb == "key":
        for cosigner in loaded.cosigners:
            print(cosigner.verifier().verifier_key)
        return 0
    host, _colon, port = args.listen.rpartition(":")
    server = witness_server.make_server(loaded, host or "127.0.0.1", int(port))
    print(_("Witness listening on %(address)s.") % {"address": args.listen}, flush=True)
    server.serve_forever()
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    from pathlib import Path

    from ceasefire.operations import commands

    _check_migrations()
    return commands.backup(Path(args.directory), Path(args.keys_to) if args.keys_to else None)


def cmd_restore(args: argparse.Namespace) -> int:
    from pathlib import Path

    from ceasefire.operations import commands

    keys_from = Path(args.keys_from) if args.keys_from else None
    return commands.restore(Path(args.directory), keys_from, args.yes)


def cmd_status(args: argparse.Namespace) -> int:
    from ceasefire.operations import commands

    _check_migrations()
    return commands.status(args.json)


def cmd_people(args: argparse.Namespace) -> int:
    from ceasefire.people import commands

    if args.people_verb == "erase":
        return commands.erase(args.id, args.reason)
    if args.people_verb == "rotate-key":
        return commands.rotate_key()
    if args.people_verb == "publish-batch":
        return commands.publish_batch()
    raise AssertionError(args.people_verb)


def cmd_import(args: argparse.Namespace) -> int:
    from pathlib import Path

    from ceasefire.registry import commands

    _check_migrations()
    return commands.import_handovers(Path(args.file), args.user)


def cmd_cosign(args: argparse.Namespace) -> int:
    from pathlib import Path

    from ceasefire.registry import commands

    if args.cosign_verb == "keygen":
        return commands.cosign_keygen(Path(args.out))
    if args.cosign_verb == "sign":
        return commands.cosign_sign(Path(args.entry_file), Path(args.key))
    raise AssertionError(args.cosign_verb)


def cmd_report(args: argparse.Namespace) -> int:
    from ceasefire.reports import commands

    _check_migrations()
    if args.report_verb == "publish":
        return commands.publish(args.date)
    raise AssertionError(args.report_verb)


def cmd_export(args: argparse.Namespace) -> int:
    from ceasefire.reports import commands

    _check_migrations()
    return commands.export(args.dataset, args.format, args.output, args.public)


def cmd_manage(args: argparse.Namespace) -> int:
    from django.core.management import execute_from_command_line

    execute_from_command_line(["ceasefire manage", *args.arguments])
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ceasefire", description=_("Records system of a ceasefire-monitoring mission.")
    )
    verbs = parser.add_subparsers(dest="verb", required=True)

    def add_serve_options(p: argparse.ArgumentParser) -> None:
        p.add_argument("--host", default="127.0.0.1")
        p.add_argument("--port", type=int, default=8000)
        p.add_argument("--workers", type=int, default=2, help=_("gunicorn worker processes"))
        p.add_argument(
            "--no-worker", action="store_true", help=_("do not start a task worker beside it")
        )

    serve = verbs.add_parser("serve", help=_("serve the web app with gunicorn and a task worker"))
    add_serve_options(serve)
    serve.set_defaults(func=cmd_serve)

    worker = verbs.add_parser("worker", help=_("run background tasks"))
    worker.add_argument("--interval", type=float, default=1.0, help=_("seconds between polls"))
    worker.add_argument("--batch", action="store_true", help=_("exit when the queue is empty"))
    worker.set_defaults(func=cmd_worker)

    demo = verbs.add_parser("demo", help=_("load the demo scenario and serve it"))
    add_serve_options(demo)
    demo.add_argument("--no-serve", action="store_true", help=_("load only, do not serve"))
    demo.add_argument(
        "--scale",
        type=int,
        default=0,
        metavar="N",
        help=_("also generate N items with receipts, custody events and log entries"),
    )
    demo.set_defaults(func=cmd_demo)

    createuser = verbs.add_parser("createuser", help=_("create a user with roles"))
    createuser.add_argument("username")
    createuser.add_argument("--role", action="append", required=True, help=_("repeat for more"))
    createuser.add_argument("--party", help=_("party code, for a liaison"))
    createuser.set_defaults(func=cmd_createuser)

    log = verbs.add_parser("log", help=_("the public transparency log"))
    log.set_defaults(func=cmd_log)
    log_verbs = log.add_subparsers(dest="log_verb", required=True)
    log_verbs.add_parser("key", help=_("print the log's verifier key (last line)"))
    export = log_verbs.add_parser("export", help=_("write a static copy of the log to a directory"))
    export.add_argument("directory")
    proof = log_verbs.add_parser("proof", help=_("print a tlog-proof that an entry is in the log"))
    proof.add_argument("index", type=int)
    reveal = log_verbs.add_parser("reveal", help=_("print openings of an entry's sealed fields"))
    reveal.add_argument("index", type=int)
    reveal.add_argument("fields", nargs="*", help=_("the fields to open (default: all)"))
    check = log_verbs.add_parser("check-opening", help=_("check openings against the log"))
    check.add_argument("opening_file", help=_("file of openings, one JSON per line, or -"))
    check.add_argument("--log", help=_("URL or directory of a published log (default: this one)"))
    verify = log_verbs.add_parser("verify", help=_("verify a published log completely"))
    verify.add_argument("source", help=_("URL of the log (…/log) or an exported directory"))
    verify.add_argument("--key", help=_("the mission's verifier key"))
    verify.add_argument("--since", help=_("a checkpoint saved earlier, which must be a prefix"))
    verify.add_argument(
        "--witness", action="append", help=_("a witness verifier key whose cosignature is required")
    )
    log_verbs.add_parser("checkpoint", help=_("sign and publish a checkpoint now"))
    log_verbs.add_parser("publish-totals", help=_("compute and publish the public totals"))

    witness_parser = verbs.add_parser("witness", help=_("a witness that cosigns log checkpoints"))
    witness_parser.set_defaults(func=cmd_witness)
    witness_verbs = witness_parser.add_subparsers(dest="witness_verb", required=True)
    init = witness_verbs.add_parser("init", help=_("create the witness's keys and state"))
    init.add_argument("--name", required=True, help=_("the witness's name, e.g. example.org/w"))
    init.add_argument(
        "--trust", action="append", help=_("the verifier key of a log to witness (repeatable)")
    )
    witness_verbs.add_parser("key", help=_("print the witness's verifier keys"))
    serve_witness = witness_verbs.add_parser("serve", help=_("answer add-checkpoint requests"))
    serve_witness.add_argument("--listen", default="127.0.0.1:7380", help=_("host:port"))
    witness_parser.add_argument("--dir", required=True, help=_("the witness's state directory"))

    backup = verbs.add_parser(
        "backup", help=_("back up the database, uploads, log and settings to a new directory")
    )
    backup.add_argument("directory")
    backup.add_argument(
        "--keys-to", help=_("also copy the keys, to this directory apart from the data")
    )
    backup.set_defaults(func=cmd_backup)

    restore = verbs.add_parser("restore", help=_("restore a backup (the server must be stopped)"))
    restore.add_argument("directory")
    restore.add_argument("--keys-from", help=_("put back keys missing from the key directory"))
    restore.add_argument("--yes", action="store_true", help=_("replace the database"))
    restore.set_defaults(func=cmd_restore)

    status = verbs.add_parser("status", help=_("the log, witnesses, task queue and backups"))
    status.add_argument("--json", action="store_true", help=_("print JSON for monitoring"))
    status.set_defaults(func=cmd_status)

    people = verbs.add_parser("people", help=_("the demobilization and amnesty registry"))
    people.set_defaults(func=cmd_people)
    people_verbs = people.add_subparsers(dest="people_verb", required=True)
    erase = people_verbs.add_parser(
        "erase", help=_("erase a person's personal data for good (crypto-shredding)")
    )
    erase.add_argument("id", type=int, help=_("the record's number"))
    erase.add_argument("--reason", required=True, help=_("why; never a name"))
    people_verbs.add_parser(
        "rotate-key", help=_("rewrap every data key under a new key-encryption key")
    )
    people_verbs.add_parser(
        "publish-batch", help=_("append the queued registrations and decisions to the log now")
    )

    import_parser = verbs.add_parser("import", help=_("import records from a file"))
    import_parser.set_defaults(func=cmd_import)
    import_verbs = import_parser.add_subparsers(dest="import_verb", required=True)
    handovers = import_verbs.add_parser(
        "handovers", help=_("import handover receipts from a CSV file, all or nothing")
    )
    handovers.add_argument("file", help=_("the CSV file (template: /registry/import/template.csv)"))
    handovers.add_argument(
        "--user", required=True, help=_("the recording field officer's username")
    )

    cosign = verbs.add_parser("cosign", help=_("a liaison's co-signing key, on their own machine"))
    cosign.set_defaults(func=cmd_cosign)
    cosign_verbs = cosign.add_subparsers(dest="cosign_verb", required=True)
    keygen = cosign_verbs.add_parser(
        "keygen", help=_("make a co-signing key; print its public key")
    )
    keygen.add_argument("--out", default="cosign.key", help=_("where to write the private key"))
    sign = cosign_verbs.add_parser("sign", help=_("sign an entry downloaded from the signing page"))
    sign.add_argument("entry_file", help=_("the entry file"))
    sign.add_argument("--key", required=True, help=_("the private key file"))

    report = verbs.add_parser("report", help=_("the daily situation report"))
    report.set_defaults(func=cmd_report)
    report_verbs = report.add_subparsers(dest="report_verb", required=True)
    publish = report_verbs.add_parser(
        "publish", help=_("publish a day's report and log its figures")
    )
    publish.add_argument(
        "--date", help=_("the day, YYYY-MM-DD (default: the last day whose cut-off has passed)")
    )

    export_parser = verbs.add_parser("export", help=_("export records to a file, streaming"))
    export_parser.add_argument(
        "dataset", help=_("items, receipts, positions, convoys, crossings or incidents")
    )
    export_parser.add_argument("--format", default="csv", help=_("csv, hxl, geojson or xlsx"))
    export_parser.add_argument("--output", required=True, help=_("the file to write, or -"))
    export_parser.add_argument(
        "--public", action="store_true", help=_("only what the public export holds")
    )
    export_parser.set_defaults(func=cmd_export)

    manage = verbs.add_parser("manage", help=_("run a Django management command"), add_help=False)
    manage.add_argument("arguments", nargs=argparse.REMAINDER)
    manage.set_defaults(func=cmd_manage)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from django.core.exceptions import ImproperlyConfigured
    from django.utils import translation

    try:
        _setup_django()
        translation.activate(operator_language())
    except ImproperlyConfigured as exc:
        build_parser().parse_args(argv)  # --help and usage errors still answer
        # Stays English: the catalogues need the very configuration that failed.
        print(f"ceasefire: configuration error: {exc}", file=sys.stderr)
        return 2
    args = build_parser().parse_args(argv)
    result: int = args.func(args)
    return result


if __name__ == "__main__":
    sys.exit(main())
