"""The `reflect` command: run the stack, chat, and manage the database and accounts."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from bot.cli_admin import add_admin_commands, first_admin
from bot.escalation.config import ConfigError, check_config
from bot.escalation.console import (
    Done,
    escalation_by_id,
    join_chat,
    leave_chat,
    resolve_with_notes,
    say,
)
from bot.escalation.contact_check import check_on_call_file
from bot.private_files import private_dir, private_file
from bot.readiness import GROWTH_SETTINGS
from bot.settings import DEVELOPMENT_SECRET, Settings, SettingsError
from bot.storage.accounts import (
    AccountError,
    add_client,
    add_therapist,
    enrolment_locale,
    reissue_token,
    token_matches,
)
from bot.storage.crisis_window import crisis_window
from bot.storage.db import session_scope
from bot.storage.deliveries import DeliveryStatus, deliveries_of
from bot.storage.escalations import EscalationError, acknowledge, list_escalations
from bot.storage.journal import UnknownClient
from bot.storage.models import Client, Escalation
from bot.storage.ptg import DOMAINS, ptg_trend
from bot.storage.readiness import growth_setting, set_growth_setting, snapshots_for
from bot.storage.schema import (
    SchemaError,
    current_revision,
    ensure_schema,
    head_revision,
    upgrade_schema,
)
from bot.web import PREFIX

if TYPE_CHECKING:
    from bot.stack import Stack

DEFAULT_MODEL = Path("models/reflect.tar.gz")


def _settings() -> Settings:
    return Settings.from_env()


def cmd_db_upgrade(_args: argparse.Namespace) -> int:
    """Migrates the app's database to the newest revision: once per release, before the
    processes start (`reflect run` does it for the embedded default)."""
    settings = _settings()
    upgrade_schema(settings.app_database_url)
    print(f"schema at revision {head_revision()}")
    return 0


def cmd_db_current(_args: argparse.Namespace) -> int:
    """Prints the database's revision and the newest one; exits 1 unless they match."""
    settings = _settings()
    current, head = current_revision(settings.app_database_url), head_revision()
    print(f"database: {current or 'none'}  newest: {head}")
    return 0 if current == head else 1


def cmd_therapist_add(args: argparse.Namespace) -> int:
    settings = _settings()
    ensure_schema(settings)
    with session_scope(settings.app_database_url) as session:
        therapist = add_therapist(session, args.name, args.email)
        print(f"therapist {therapist.id} added: {therapist.name} <{therapist.email}>")
    return 0


def _locale(settings: Settings, locale: str | None) -> str:
    return enrolment_locale(settings.config_path(settings.crisis_resources_file), locale)


def cmd_client_add(args: argparse.Namespace) -> int:
    settings = _settings()
    locale = _locale(settings, args.locale)
    ensure_schema(settings)
    with session_scope(settings.app_database_url) as session:
        client, token = add_client(
            session,
            args.name,
            client_id=args.id,
            therapist_id=args.therapist,
            locale=locale,
            share_by_default=args.share,
        )
        sharing = "shared with their therapist" if client.share_by_default else "private"
        print(f"client {client.id} added; entries are {sharing} by default")
        print(f"access token (shown once): {token}")
    return 0


def cmd_client_token(args: argparse.Namespace) -> int:
    settings = _settings()
    with session_scope(settings.app_database_url) as session:
        print(
            f"new access token for {args.id} (the old one no longer works): "
            f"{reissue_token(session, args.id)}"
        )
    return 0


def cmd_client_safety_plan(args: argparse.Namespace) -> int:
    """For the therapist: the client's current safety plan, in their words."""
    from bot.escalation.reply import PLAN_PARTS
    from bot.storage.models import SafetyPlan

    settings = _settings()
    with session_scope(settings.app_database_url) as session:
        plan = session.get(SafetyPlan, args.id)
        if plan is None:
            print(f"{args.id} has no safety plan yet")
            return 0
        print(f"safety plan of {args.id}, last changed {plan.updated_at:%Y-%m-%d %H:%M} UTC")
        for field, label in PLAN_PARTS:
            print(f"- {label}: {getattr(plan, field) or '(not written)'}")


def cmd_client_growth(args: argparse.Namespace) -> int:
    """The therapist's switch: growth prompts off, left to the readiness check (auto), or on."""
    settings = _settings()
    with session_scope(settings.app_database_url) as session:
        set_growth_setting(session, args.id, args.setting)
    print(f"growth prompts for {args.id}: {args.setting}")
    return 0


def cmd_client_trend(args: argparse.Namespace) -> int:
    """The client's own reflection check-ins over time, 0-5 per domain."""
    settings = _settings()
    with session_scope(settings.app_database_url) as session:
        checkins = ptg_trend(session, args.id)
        print(
            f"Reflection check-ins for {args.id} (a reflection check-in, not a validated measure)"
        )
        if not checkins:
            print("no check-ins yet")
        print("date        " + "  ".join(f"{d:>13}" for d in DOMAINS))
        for checkin in checkins:
            scores = "  ".join(f"{_score(getattr(checkin, d)):>13}" for d in DOMAINS)
            print(f"{checkin.answered_at:%Y-%m-%d}  {scores}")
    return 0


def _score(value: int | None) -> str:
    """A dash for a question left unanswered."""
    return "-" if value is None else str(value)


def cmd_client_readiness(args: argparse.Namespace) -> int:
    """Each readiness check of a client, with its reasons, for the therapist."""
    settings = _settings()
    with session_scope(settings.app_database_url) as session:
        print(f"growth prompts: {growth_setting(session, args.id)}")
        for snapshot, reasons in snapshots_for(session, args.id):
            print(
                f"{snapshot.created_at:%Y-%m-%d %H:%M}  conversation {snapshot.conversation_id}: "
                f"{snapshot.level}"
            )
            for reason in reasons:
                print(f"    - {reason}")
    return 0


def cmd_chat(args: argparse.Namespace) -> int:
    from bot.chat import ChatSession, run_chat

    token = args.token or os.environ.get("REFLECT_CLIENT_TOKEN", "")
    if not token:
        print(
            "reflect chat needs the client's access token: --token or REFLECT_CLIENT_TOKEN",
            file=sys.stderr,
        )
        return 2
    session = ChatSession(args.url or _settings().entry_url, args.client, token)
    interactive = sys.stdin.isatty() and not args.json
    lines = iter(sys.stdin.readline, "")
    return run_chat(session, lines, sys.stdout, as_json=args.json, prompt=interactive)


def cmd_guard(args: argparse.Namespace) -> int:
    """The guardrails' stable line interface: scripts and evaluations depend on its format."""
    from guardrails import evaluate, jsonl

    if args.guard == "risk":
        jsonl.run_risk(sys.stdin, sys.stdout)
    elif args.guard == "reply":
        jsonl.run_reply(sys.stdin, sys.stdout)
    elif args.guard == "reply-eval":
        from guardrails import reply_eval

        reply_eval.run(sys.stdout, rounds=args.round, as_json=args.json)
    else:
        evaluate.run_eval(sys.stdout, as_json=args.json, shared_dir=args.shared, rounds=args.round)
    return 0


def cmd_worker(_args: argparse.Namespace) -> int:
    """The outbox worker `reflect run` starts; runs until it is stopped."""
    from bot.escalation.worker import run_forever

    run_forever(_settings())
    return 0


def cmd_rasa(args: argparse.Namespace) -> int:
    """One Rasa server as a container runs it: its endpoints file written from the settings,
    then `rasa run` in this process's place, on REFLECT_RASA_PORT."""
    from bot.rasa_endpoints import write_endpoints
    from bot.stack import rasa_command

    settings = _settings()
    endpoints = write_endpoints(settings, private_dir(settings.var_dir / "run") / "endpoints.yml")
    command = rasa_command(settings, args.model, settings.rasa_port, endpoints, args.interface)
    os.execv(command[0], command)


def cmd_deploy(args: argparse.Namespace) -> int:
    """Writes docker-compose.yml and kubernetes.yml (bot/deploy.py) into --out."""
    from bot.deploy import write

    for path in write(args.out, args.image, dict(os.environ)):
        print(f"wrote {path}")
    return 0


def cmd_events(_args: argparse.Namespace) -> int:
    """Stores Rasa's tracker events from RabbitMQ (`reflect run` starts it when
    REFLECT_RABBITMQ_URL is set); runs until it is stopped."""
    settings = _settings()
    if not settings.rabbitmq_url:
        print("error: REFLECT_RABBITMQ_URL is not set: there is no event broker", file=sys.stderr)
        return 1
    from bot.events import run_forever

    run_forever(settings)
    return 0


def _describe(escalation: Escalation, deliveries: Sequence[DeliveryStatus] = ()) -> str:
    who = f" by {escalation.clinician}" if escalation.clinician else ""
    who += "" if escalation.urgent else " (not urgent: the client said it can wait)"
    notes = f"\n    notes: {escalation.notes}" if escalation.notes else ""
    told = "".join(f"\n    {_delivery(status)}" for status in deliveries)
    return (
        f"#{escalation.id} {escalation.state}{who}  client {escalation.client_id}  "
        f"{escalation.created_at:%Y-%m-%d %H:%M:%S} UTC  ({escalation.reason})\n"
        f"    message: {escalation.message.text}{notes}{told}"
    )


def _delivery(status: DeliveryStatus) -> str:
    """One notification: to whom and how, then pending, delivered at, failing since or stopped."""
    if status.state == "delivered":
        state = f"delivered {status.since:%Y-%m-%d %H:%M:%S} UTC"
    elif status.state == "failing":
        state = (
            f"FAILING since {status.since:%Y-%m-%d %H:%M:%S} UTC ({status.attempts} attempts; "
            f"last error: {status.last_error})"
        )
    elif status.state == "stopped":
        state = "stopped: not sent, a clinician has it in hand"
    else:
        state = "pending"
    audience = status.audience.replace("_", "-")
    return f"{audience} {status.contact} by {status.channel} <{status.recipient}>: {state}"


def cmd_escalations(args: argparse.Namespace) -> int:
    """What an on-call clinician does: see open escalations, take one on, close it."""
    settings = _settings()
    ensure_schema(settings)
    with session_scope(settings.app_database_url) as session:
        if args.escalations == "list":
            for problem in check_on_call_file(settings).problems:
                print(f"warning: {problem}")
            found = list_escalations(session, include_resolved=args.all)
            for escalation in found:
                print(_describe(escalation, deliveries_of(session, escalation)))
            if not found:
                print("no open escalations")
        elif args.escalations == "ack":
            print(_describe(acknowledge(session, args.id, args.clinician)))
        elif args.escalations == "join":
            done = join_chat(settings, session, args.id, args.clinician)
            print(_describe(done.escalation))
            _rasa_note(done)
            print("you are in the chat; the bot is quiet. write with `reflect escalations say`.")
        elif args.escalations == "say":
            said = say(session, args.id, args.text, anyway=args.anyway)
            if said.message is None:
                print(f"not sent: {said.advice}.\nSend it as written with --anyway, or reword it.")
                return 3
        elif args.escalations == "leave":
            _rasa_note(leave_chat(settings, session, args.id))
            print(f"left escalation {args.id}; the client stays in crisis mode until resolved")
        elif args.escalations == "transcript":
            escalation = escalation_by_id(session, args.id)
            for message in crisis_window(session, escalation, args.after):
                # A crisis told while the clinician is in the chat stands out.
                mark = " [CRISIS]" if message.risk_level == "crisis" else ""
                print(f"[{message.id}] {message.sender}{mark}> {message.text}")
        else:
            done = resolve_with_notes(settings, session, args.id, args.notes, args.clinician)
            print(_describe(done.escalation))
            _rasa_note(done)
    return 0


def _rasa_note(done: Done) -> None:
    if not done.rasa_told:
        print("note: Rasa is not reachable; the entry point will catch it up on the next message")


def cmd_run(args: argparse.Namespace) -> int:
    from bot.stack import Stack, StackError

    settings = _settings()
    for problem in check_on_call_file(settings).problems:  # loud, before anything starts
        print(f"WARNING: escalations: {problem}", file=sys.stderr)
    if not args.model.exists():
        print(f"no trained model at {args.model}; run 'make run', which trains it", file=sys.stderr)
        return 1
    check_config(settings)
    upgrade_schema(settings.app_database_url)
    demo_token = _demo_token(settings, args.demo_client) if args.demo_client else None
    admin_line = first_admin(settings)
    stack = Stack(settings, args.model, console=sys.stderr)
    # Ctrl-C and a service manager's SIGTERM both stop the children cleanly, even when a
    # non-interactive shell started us in the background with SIGINT ignored.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    print(
        "starting the action server, Rasa, the worker and the entry point (about half a minute)..."
    )
    try:
        stack.start()
        print(f"\nReflect is running at {settings.entry_url}  (POST /v1/messages)")
        print(f"web app: {settings.entry_url}{PREFIX}/  {admin_line}")
        print(f"logs: {stack.log_dir}")
        if settings.webhook_secret == DEVELOPMENT_SECRET:
            print("warning: webhooks are signed with the development secret; set your own")
        if demo_token:
            print("chat in this terminal from another one:")
            print(f"  .venv/bin/reflect chat --client {args.demo_client} --token={demo_token}")
        print("Ctrl-C stops everything.")
        _supervise_until_signalled(stack)
    except KeyboardInterrupt:  # while starting; once running, a signal only sets a flag
        print("\nstopping...")
    except StackError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    finally:
        stack.stop()
    return 0


def _supervise_until_signalled(stack: Stack) -> None:
    """Restarts dead children, once a second, until SIGINT or SIGTERM asks us to stop.

    The signals only set a flag from here on, so neither can cut a restart (or the stop that
    follows) in half and leave a child nobody stops.
    """
    received: list[int] = []
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda number, _frame: received.append(number))
    while not received:
        stack.supervise()
        time.sleep(1)
    print("\nstopping...")


def _demo_token(settings: Settings, client_id: str) -> str | None:
    """The demo client's token: made on first use and kept in var_dir (0600), then reused, so
    a restart never locks the client out. None, with a note, for a client enrolled another way:
    its token is not known here and is never silently replaced."""
    kept = settings.var_dir / "demo-tokens" / client_id
    with session_scope(settings.app_database_url) as session:
        client = session.get(Client, client_id)
        if client is None:
            locale = _locale(settings, None)
            token = add_client(session, "Demo client", client_id=client_id, locale=locale)[1]
            private_dir(kept.parent)
            private_file(kept).write_text(token)
            return token
        token = kept.read_text().strip() if kept.exists() else ""
        if token and token_matches(client, token):
            return token
    print(
        f"note: client {client_id} was enrolled with a token this machine does not keep; "
        f"chat with that token, or issue a new one with `reflect client token {client_id}` "
        "(the old one then stops working)"
    )
    return None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="reflect", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    run = commands.add_parser(
        "run", help="start the action server, Rasa, the outbox worker and the entry point"
    )
    run.add_argument("--model", type=Path, default=DEFAULT_MODEL)
    run.add_argument("--demo-client", help="enrol this client if needed and print how to chat")
    run.set_defaults(func=cmd_run)

    worker = commands.add_parser("worker", help="deliver escalation notifications (run starts it)")
    worker.set_defaults(func=cmd_worker)
    events = commands.add_parser(
        "events", help="store Rasa's tracker events from RabbitMQ for the review"
    )
    events.set_defaults(func=cmd_events)
    deploy = commands.add_parser(
        "deploy", help="write docker-compose.yml and Kubernetes manifests for an image"
    )
    deploy.add_argument("--image", required=True, help="the image the Dockerfile built")
    deploy.add_argument("--out", type=Path, default=Path("deploy"))
    deploy.set_defaults(func=cmd_deploy)
    rasa = commands.add_parser("rasa", help="one Rasa server, as a container runs it")
    rasa.add_argument("--model", type=Path, default=DEFAULT_MODEL)
    rasa.add_argument("--interface", default="0.0.0.0", help="where it listens (default: all)")
    rasa.set_defaults(func=cmd_rasa)

    escalations = commands.add_parser(
        "escalations", help="list, acknowledge and resolve escalations"
    ).add_subparsers(dest="escalations", required=True)
    e_list = escalations.add_parser("list", help="open and acknowledged escalations")
    e_list.add_argument("--all", action="store_true", help="include resolved ones")
    e_ack = escalations.add_parser("ack", help="take an escalation on; stops re-notification")
    e_ack.add_argument("id", type=int)
    e_ack.add_argument("--clinician", required=True, help="who is taking it on")
    e_resolve = escalations.add_parser("resolve", help="close it and end the client's crisis mode")
    e_resolve.add_argument("id", type=int)
    e_resolve.add_argument("--notes", required=True, help="what was done")
    e_resolve.add_argument("--clinician", help="who resolved it (default: who acknowledged it)")
    e_join = escalations.add_parser("join", help="enter the client's chat; the bot goes quiet")
    e_join.add_argument("id", type=int)
    e_join.add_argument("--clinician", required=True, help="who is joining")
    e_say = escalations.add_parser("say", help="write to the client, as the joined clinician")
    e_say.add_argument("id", type=int)
    e_say.add_argument("text")
    e_say.add_argument(
        "--anyway",
        action="store_true",
        help="send it even if the output rail's advice says it may read as minimising",
    )
    e_leave = escalations.add_parser("leave", help="step out of the chat; crisis mode goes on")
    e_leave.add_argument("id", type=int)
    e_transcript = escalations.add_parser(
        "transcript", help="the crisis window of the client's chat: everyone's words, nothing later"
    )
    e_transcript.add_argument("id", type=int)
    e_transcript.add_argument("--after", type=int, default=0, help="only after this message id")
    for command in (e_list, e_ack, e_resolve, e_join, e_say, e_leave, e_transcript):
        command.set_defaults(func=cmd_escalations)

    add_admin_commands(commands)

    chat = commands.add_parser("chat", help="chat with the running assistant")
    chat.add_argument("--client", required=True, help="the client id to chat as")
    chat.add_argument("--token", help="the client's access token (or REFLECT_CLIENT_TOKEN)")
    chat.add_argument("--url", help="the entry point (default: from REFLECT_HOST/REFLECT_PORT)")
    chat.add_argument("--json", action="store_true", help="print JSON lines, one per reply")
    chat.set_defaults(func=cmd_chat)

    guard = commands.add_parser("guard", help="the safety rails as JSON-lines filters")
    rails = guard.add_subparsers(dest="guard", required=True)
    rails.add_parser("risk", help='stdin {"id", "text"} -> {"id", "level", "signals"}')
    rails.add_parser(
        "reply", help='stdin {"id", "text", "user_text"?} -> {"id", "verdict", "reasons"}'
    )
    evaluation = rails.add_parser(
        "eval", help="recall per category and false alarms on the held-out rounds and test sets"
    )
    evaluation.add_argument("--json", action="store_true", help="print JSON instead of a table")
    evaluation.add_argument("--shared", type=Path, help="the shared data folder (../shared/data)")
    evaluation.add_argument(
        "--round",
        type=Path,
        action="append",
        help="score this round file (JSON lines) instead of the held-out rounds; repeatable",
    )
    reply_evaluation = rails.add_parser(
        "reply-eval", help="harmful replies blocked and acceptable ones let through, per category"
    )
    reply_evaluation.add_argument("--json", action="store_true", help="print JSON")
    reply_evaluation.add_argument(
        "--round",
        type=Path,
        action="append",
        help="score this reply round file instead of the held-out reply rounds; repeatable",
    )
    guard.set_defaults(func=cmd_guard)

    db = commands.add_parser("db", help="database schema").add_subparsers(dest="db", required=True)
    db.add_parser("upgrade", help="migrate to the newest revision").set_defaults(
        func=cmd_db_upgrade
    )
    db.add_parser("current", help="the database's revision and the newest").set_defaults(
        func=cmd_db_current
    )

    therapist = commands.add_parser("therapist", help="therapist accounts").add_subparsers(
        dest="therapist", required=True
    )
    t_add = therapist.add_parser("add", help="enrol a therapist")
    t_add.add_argument("--name", required=True)
    t_add.add_argument("--email", required=True)
    t_add.set_defaults(func=cmd_therapist_add)

    client = commands.add_parser("client", help="client accounts").add_subparsers(
        dest="client", required=True
    )
    c_add = client.add_parser("add", help="enrol a client and print their access token")
    c_add.add_argument("--name", required=True)
    c_add.add_argument("--id", help="the client id (default: generated)")
    c_add.add_argument("--therapist", type=int, help="the therapist's id")
    c_add.add_argument(
        "--locale",
        help="which crisis lines they see: a locale of config/crisis_resources.yml "
        "(default: its default)",
    )
    sharing = c_add.add_mutually_exclusive_group(required=True)
    sharing.add_argument(
        "--share",
        dest="share",
        action="store_true",
        help="share new entries with the therapist by default",
    )
    sharing.add_argument(
        "--private", dest="share", action="store_false", help="keep new entries private by default"
    )
    c_add.set_defaults(func=cmd_client_add)
    by_id = {
        "token": ("issue a new access token for a client", cmd_client_token),
        "safety-plan": ("show a client's safety plan", cmd_client_safety_plan),
        "growth": ("turn a client's growth prompts off, auto or on", cmd_client_growth),
        "trend": ("a client's reflection check-ins over time", cmd_client_trend),
        "readiness": ("a client's readiness checks and their reasons", cmd_client_readiness),
    }
    for name, (help_text, func) in by_id.items():
        command = client.add_parser(name, help=help_text)
        command.add_argument("id")
        command.set_defaults(func=func)
        if name == "growth":
            command.add_argument("setting", choices=GROWTH_SETTINGS)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except (AccountError, EscalationError, ConfigError, SettingsError, SchemaError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except UnknownClient as error:
        print(f"error: there is no client {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
