"""The ``stormdraft`` command: the same services the studio calls, for people and CI.

Exit codes, for every command: 0 success; 1 internal error (a bug); 2 invalid input (design
errors, bad arguments; messages on stderr); 3 the design is valid but a check failed.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence
from pathlib import Path

from app import catalog
from app.generators.output import json_text
from app.model import DesignError, ValidDesign, storm_schema
from app.services import designs

EXIT_OK, EXIT_BUG, EXIT_INVALID, EXIT_CHECK_FAILED = 0, 1, 2, 3


class UsageError(Exception):
    """Bad arguments: exit code 2 with the message on stderr."""


def _report(path: str, error: DesignError) -> None:
    for problem in error.problems:
        where = f"{path}:{problem.line}:{problem.column}" if problem.line else path
        print(f"{where}: {problem.path or '(design)'}: {problem.message}", file=sys.stderr)


def cmd_validate(args: argparse.Namespace) -> int:
    status = EXIT_OK
    for name in args.files:
        try:
            valid = designs.read_design_file(Path(name))
        except DesignError as exc:
            _report(name, exc)
            status = EXIT_INVALID
            continue
        count = sum(1 for e in valid.entries.values() if e.kind != "steps")
        contexts = len(valid.design.contexts)
        print(
            f"{name}: valid ({count} elements in {contexts} context{'' if contexts == 1 else 's'})"
        )
    return status


def cmd_generate(args: argparse.Namespace) -> int:
    try:
        valid = designs.read_design_file(Path(args.file))
    except DesignError as exc:
        _report(args.file, exc)
        return EXIT_INVALID
    artifacts = designs.generate(valid)
    designs.write_output(artifacts, Path(args.out))
    print(f"wrote {len(artifacts)} files to {args.out}")
    return EXIT_OK


def cmd_schema(args: argparse.Namespace) -> int:
    text = json_text(storm_schema())
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return EXIT_OK


def _slug(name: str) -> str:
    from anyascii import anyascii

    return re.sub(r"[^a-z0-9]+", "-", anyascii(name).lower()).strip("-") or "design"


def cmd_new(args: argparse.Namespace) -> int:
    if args.list:
        for starter in catalog.starters():
            print(f"{starter.slug:24} {starter.name} — {starter.description}")
        return EXIT_OK
    if not args.name and not args.workbench:
        raise UsageError(
            "give the new design's name, e.g. stormdraft new 'Shop' --from "
            "order-processing (see --list)"
        )
    source = args.workbench or args.starter
    try:
        if args.workbench:
            text = designs.design_from_workbench(Path(args.workbench).read_bytes(), args.name or "")
        else:
            text = designs.design_from_starter(args.starter, args.name)
    except DesignError as exc:
        _report(source, exc)
        return EXIT_INVALID
    if args.out == "-":
        sys.stdout.write(text)
        return EXIT_OK
    out = Path(args.out or f"{_slug(args.name or Path(args.workbench).stem)}.storm.yaml")
    if out.exists() and not args.force:
        raise UsageError(f"{out} exists; choose another --out or add --force")
    out.write_text(text, encoding="utf-8")
    what = "the model" if args.workbench else "the starter"
    print(f"created {out} from {what} '{source}'")
    return EXIT_OK


def _read(path: str) -> ValidDesign | None:
    """The validated design in ``path``, or None after reporting its problems."""
    try:
        return designs.read_design_file(Path(path))
    except DesignError as exc:
        _report(path, exc)
        return None


def cmd_review(args: argparse.Namespace) -> int:
    from app.review import format_review, review

    valid = _read(args.file)
    if valid is None:
        return EXIT_INVALID
    report = review(valid)
    sys.stdout.write(json_text(report.to_json()) if args.json else format_review(report))
    return EXIT_CHECK_FAILED if report.has_errors else EXIT_OK


def cmd_prove(args: argparse.Namespace) -> int:
    from app.proofs.table import format_proof, prove_table

    valid = _read(args.file)
    if valid is None:
        return EXIT_INVALID
    report = prove_table(valid)
    sys.stdout.write(json_text(report.to_json()) if args.json else format_proof(report))
    return EXIT_OK if report.passed else EXIT_CHECK_FAILED


def cmd_simulate(args: argparse.Namespace) -> int:
    from app.proofs.workflows import exit_code, format_runs, simulate

    valid = _read(args.file)
    if valid is None:
        return EXIT_INVALID
    try:
        reports = simulate(valid, args.workflow, args.scenario)
    except DesignError as exc:
        _report(args.file, exc)
        return EXIT_INVALID
    sys.stdout.write(format_runs(reports))
    return exit_code(reports)


def cmd_orchestrate(args: argparse.Namespace) -> int:
    from app.generators.output import yaml_text
    from app.generators.workflows import orchestrate

    valid = _read(args.file)
    if valid is None:
        return EXIT_INVALID
    try:
        workflow = orchestrate(valid, args.event)
    except DesignError as exc:
        _report(args.file, exc)
        return EXIT_INVALID
    sys.stdout.write(yaml_text(workflow.model_dump(mode="json", exclude_defaults=True)))
    return EXIT_OK


def _memory(text: str) -> tuple[str, int]:
    name, _, mb = text.partition("=")
    if not name or not mb.isdigit():
        raise argparse.ArgumentTypeError(f"write FUNCTION=MB, not {text!r}")
    return name, int(mb)


def cmd_cost(args: argparse.Namespace) -> int:
    from app.generators.cost import CostOptions, WhatIf, format_cost, price_design
    from app.generators.cost.estimate import price_usage_text
    from app.generators.cost.report import cost_json

    if (args.file is None) == (args.usage is None):
        raise UsageError("give a storm FILE or --usage USAGE.yaml (one of the two)")
    try:
        if args.usage is not None:
            estimate = price_usage_text(Path(args.usage).read_bytes())
        else:
            valid = designs.read_design_file(Path(args.file))
            what_if = WhatIf(
                traffic=args.traffic,
                architecture=args.architecture,
                api_type=args.api_type,
                memory=dict(args.memory or []),
            )
            options = CostOptions(
                free_tier=not args.no_free_tier, region=args.region, what_if=what_if
            )
            estimate = price_design(valid, options)
    except OSError as exc:
        raise UsageError(f"cannot read {args.usage}: {exc.strerror or exc}") from None
    except DesignError as exc:
        _report(args.usage or args.file, exc)
        return EXIT_INVALID
    sys.stdout.write(json_text(cost_json(estimate)) if args.json else format_cost(estimate))
    return EXIT_OK


def cmd_diff(args: argparse.Namespace) -> int:
    from app.generators.diff import diff_designs, diff_json, diff_markdown, format_diff

    loaded = [valid for name in (args.old, args.new) if (valid := _read(name)) is not None]
    if len(loaded) < 2:
        return EXIT_INVALID
    diff = diff_designs(loaded[0], loaded[1])
    if args.json:
        sys.stdout.write(json_text(diff_json(diff)))
    elif args.markdown:
        sys.stdout.write(diff_markdown(diff))
    else:
        sys.stdout.write(format_diff(diff))
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    from app.services.export import export_to_folder

    valid = _read(args.file)
    if valid is None:
        return EXIT_INVALID
    for hotspot in valid.of_kind("hotspots"):
        if getattr(hotspot.element, "status", "open") == "open":
            print(f"warning: open hotspot '{hotspot.element.name}'", file=sys.stderr)
    try:
        report = export_to_folder(
            Path(args.file).read_text(encoding="utf-8"), Path(args.out), git=args.git
        )
    except DesignError as exc:
        _report(args.file, exc)
        return EXIT_INVALID
    written, kept, removed = (len(report[k]) for k in ("written", "kept", "removed"))
    print(
        f"wrote {written} new or changed files to {args.out} (kept {kept} of your files, "
        f"removed {removed} no longer generated)"
    )
    return EXIT_OK


def cmd_seed(args: argparse.Namespace) -> int:
    from app.settings import get_settings

    try:
        name = designs.seed_starter(get_settings().database_url, args.starter)
    except DesignError as exc:
        _report(args.starter, exc)
        return EXIT_INVALID
    print(f"created the design '{name}'" if name else "the studio has designs; nothing to seed")
    return EXIT_OK


def _new_password(args: argparse.Namespace) -> str:
    """The password from stdin (--password-stdin, for scripts) or typed twice at a prompt."""
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    import getpass

    password = getpass.getpass("Password: ")
    if getpass.getpass("Password again: ") != password:
        raise UsageError("the two passwords differ")
    return password


def cmd_user(args: argparse.Namespace) -> int:
    from app.services.accounts import AccountError, Accounts
    from app.settings import get_settings
    from app.store.db import create_db_engine

    engine = create_db_engine(get_settings().database_url)
    accounts = Accounts(engine)
    try:
        if args.action == "list":
            for user in accounts.users():
                role = "admin" if user.is_admin else "user"
                print(f"{user.email}\t{user.display_name}\t{role}")
            return EXIT_OK
        if args.action == "create":
            user = accounts.create_user(
                args.email, _new_password(args), args.name or "", admin=args.admin
            )
            print(f"created {user.email}" + (" (administrator)" if user.is_admin else ""))
        else:
            user = accounts.reset_password(args.email, _new_password(args))
            print(f"set a new password for {user.email}; their sessions have ended")
        return EXIT_OK
    except AccountError as exc:
        print(f"stormdraft user {args.action}: {exc}", file=sys.stderr)
        return EXIT_INVALID
    finally:
        engine.dispose()


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    uvicorn.run(
        "app.web.main:create_app", factory=True, host=args.host, port=args.port, log_level="info"
    )
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="stormdraft",
        description="Design serverless architectures on AWS from an event-storming model.",
        epilog="Exit codes: 0 success, 1 internal error, 2 invalid input, 3 a check failed.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("validate", help="check storm files and report every problem")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.set_defaults(run=cmd_validate)

    p = sub.add_parser("generate", help="write every artifact of a design into a folder")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--out", required=True, metavar="DIR")
    p.set_defaults(run=cmd_generate)

    p = sub.add_parser("schema", help="print the storm file's JSON Schema")
    p.add_argument("--out", metavar="FILE")
    p.set_defaults(run=cmd_schema)

    p = sub.add_parser("new", help="start a design from a starter")
    p.add_argument("name", nargs="?", metavar="NAME")
    p.add_argument("--from", dest="starter", default="order-processing", metavar="STARTER")
    p.add_argument("--out", metavar="FILE", help="where to write it ('-' for stdout)")
    p.add_argument("--force", action="store_true", help="overwrite an existing file")
    p.add_argument("--list", action="store_true", help="list the starters")
    p.add_argument(
        "--workbench", metavar="MODEL.json", help="start from a NoSQL Workbench model instead"
    )
    p.set_defaults(run=cmd_new)

    p = sub.add_parser("review", help="review a design against the rule catalogue")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.set_defaults(run=cmd_review)

    p = sub.add_parser("prove", help="prove the table plan on an emulated table, per pattern")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.set_defaults(run=cmd_prove)

    p = sub.add_parser("simulate", help="dry-run a workflow on an emulated Step Functions")
    p.add_argument("file", metavar="FILE")
    p.add_argument("workflow", metavar="WORKFLOW")
    p.add_argument("--scenario", metavar="NAME", help="one scenario (default: every scenario)")
    p.set_defaults(run=cmd_simulate)

    p = sub.add_parser(
        "orchestrate", help="the workflow equivalent to the chain of policies after an event"
    )
    p.add_argument("file", metavar="FILE")
    p.add_argument("event", metavar="EVENT")
    p.set_defaults(run=cmd_orchestrate)

    p = sub.add_parser("cost", help="monthly cost of a design, or of usage entered directly")
    p.add_argument("file", nargs="?", metavar="FILE")
    p.add_argument("--usage", metavar="USAGE.yaml", help="price usage lines instead of a design")
    p.add_argument("--region", help="price in another region than the design's")
    p.add_argument("--no-free-tier", action="store_true", help="leave the free tier out")
    p.add_argument("--traffic", type=float, default=1.0, metavar="K", help="traffic multiplier")
    p.add_argument("--architecture", choices=["arm64", "x86_64"])
    p.add_argument("--api-type", choices=["http", "rest"])
    p.add_argument("--memory", type=_memory, action="append", metavar="FUNCTION=MB")
    p.add_argument("--json", action="store_true", help="print the estimate as JSON")
    p.set_defaults(run=cmd_cost)

    p = sub.add_parser("export", help="export a deployable AWS SAM repository")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--out", required=True, metavar="DIR")
    p.add_argument("--git", action="store_true", help="make DIR a repository with a first commit")
    p.set_defaults(run=cmd_export)

    p = sub.add_parser("diff", help="what changed between two versions of a design, in words")
    p.add_argument("old", metavar="OLD")
    p.add_argument("new", metavar="NEW")
    shape = p.add_mutually_exclusive_group()
    shape.add_argument("--json", action="store_true", help="print the diff as JSON")
    shape.add_argument("--markdown", action="store_true", help="print the diff as Markdown")
    p.set_defaults(run=cmd_diff)

    p = sub.add_parser("seed", help="save a starter design when the studio has none")
    p.add_argument("--from", dest="starter", default="order-processing", metavar="STARTER")
    p.set_defaults(run=cmd_seed)

    p = sub.add_parser("user", help="create accounts and reset passwords (no email needed)")
    actions = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    a = actions.add_parser("create", help="create an account (the first is an administrator)")
    a.add_argument("email", metavar="EMAIL")
    a.add_argument("--name", help="the name others see (default: from the email)")
    a.add_argument("--admin", action="store_true", help="make the account an administrator")
    a.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    a = actions.add_parser("reset-password", help="set a new password and end the sessions")
    a.add_argument("email", metavar="EMAIL")
    a.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    actions.add_parser("list", help="list the accounts")
    p.set_defaults(run=cmd_user)

    p = sub.add_parser("serve", help="run the studio")
    p.add_argument("--host", default=None)
    p.add_argument("--port", type=int, default=None)
    p.set_defaults(run=cmd_serve)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "serve":
        from app.settings import get_settings

        settings = get_settings()
        args.host = args.host or settings.host
        args.port = args.port or settings.port
    try:
        return int(args.run(args))
    except UsageError as exc:
        print(f"stormdraft {args.command}: {exc}", file=sys.stderr)
        return EXIT_INVALID
    except BrokenPipeError:
        return EXIT_OK


def run() -> None:
    sys.exit(main())


if __name__ == "__main__":
    run()
