"""`annex operator | gateway | serve | dev`: each subcommand lives with the code it runs."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable, Sequence
from typing import Protocol


class Subcommand(Protocol):
    def add_arguments(self, parser: argparse.ArgumentParser) -> None: ...

    def main(self, args: argparse.Namespace) -> int: ...


# name -> (module implementing Subcommand, one-line help). Imported lazily so that
# `annex gateway` never loads kopf and `annex operator` never loads the HTTP server.
SUBCOMMANDS: dict[str, tuple[str, str]] = {
    "operator": ("annex_operator.cli", "run the operator (kopf) that registers ApiDefinitions"),
    "gateway": ("annex_gateway.cli", "run the aggregated API server"),
    "serve": ("annex_cli.serve", "serve ApiDefinitions from files, with no cluster at all"),
    "dev": ("annex_cli.dev", "start a local control plane, the operator and the gateway"),
}


def _load(module: str) -> Subcommand:
    loaded: Subcommand = importlib.import_module(module)
    return loaded


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(
        prog="annex", description="Declarative aggregated APIs for Kubernetes"
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    chosen = next((a for a in args_list if not a.startswith("-")), None)
    runners: dict[str, Callable[[argparse.Namespace], int]] = {}
    for name, (module, help_text) in SUBCOMMANDS.items():
        sub_parser = sub.add_parser(name, help=help_text, description=help_text)
        if name == chosen:  # only the chosen subcommand's module is imported
            command = _load(module)
            command.add_arguments(sub_parser)
            runners[name] = command.main
    args = parser.parse_args(args_list)
    return runners[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
