"""``python main.py server client add|list|revoke``: integration clients (``server/integration.py``).

``add`` prints the client with its token: the only time the token is shown (the server keeps
its hash). ``--office`` may be repeated; without it the client may act for every office.
"""
from __future__ import annotations

import argparse
from typing import Any


def add_client_commands(actions: Any, common_parent: argparse.ArgumentParser,
                        common: list[argparse.ArgumentParser], parser_class: Any) -> None:
    from ..server.integration import SCOPES

    client = actions.add_parser("client", parents=[common_parent],
                                help="integration clients (the provincial system) of the exchange APIs")
    client_actions = client.add_subparsers(dest="client_action", required=True, parser_class=parser_class)
    add = client_actions.add_parser("add", parents=common, help="enrol a client; prints its token once")
    add.add_argument("--name", required=True)
    add.add_argument("--scope", required=True, action="append", choices=SCOPES,
                     help="repeat for several scopes")
    add.add_argument("--office", action="append", default=[], metavar="AGENCY_CODE",
                     help="an office it may act for, with the units under it (repeat; default: every office)")
    client_actions.add_parser("list", parents=common, help="list clients (no tokens)")
    revoke = client_actions.add_parser("revoke", parents=common, help="revoke a client's token at once")
    revoke.add_argument("client_id", metavar="ID")


def run_client_command(service: Any, args: argparse.Namespace) -> Any:
    from ..server.integration import clients_of

    clients = clients_of(service)
    if args.client_action == "add":
        return clients.add(args.name, args.scope, args.office)
    if args.client_action == "revoke":
        return clients.revoke(args.client_id)
    return clients.list_all()
