"""`khabar serve`: the web reader and the HTTP JSON API over one database."""

from __future__ import annotations

import ipaddress
import os
import socket
from pathlib import Path

import click

from khabar.cli import cli
from khabar.errors import InputError


def is_loopback(host: str) -> bool:
    """True for addresses only this machine can reach (127.0.0.0/8, ::1, localhost)."""
    if host.strip().lower() in ("localhost", "localhost."):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option("--token", envvar="KHABAR_TOKEN", default=None,
              help="Bearer token for POST /api/ingest (or KHABAR_TOKEN). Required to listen beyond loopback.")
@click.option("--max-body", default=16 * 1024 * 1024, show_default=True, type=click.IntRange(1),
              help="Largest request body accepted, in bytes.")
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, token: str | None, max_body: int) -> None:
    """Serve the Arabic web reader and the JSON API (/api/, /openapi.json) over the database."""
    try:
        import uvicorn

        from khabar.web import create_app
    except ImportError as exc:
        raise InputError(f"the web reader needs the web extra: pip install 'khabar[web]' ({exc.name} is missing)") from None
    if not is_loopback(host) and not token:
        raise InputError(
            f"refusing to listen on {host} without a token: anyone who can reach it could add "
            "articles; pass --token or set KHABAR_TOKEN (or listen on 127.0.0.1)")
    db = ctx.obj["db"]
    if not token and db != ":memory:" and not Path(db).exists():
        raise InputError(f"no database at {db} (`khabar --db {db} ingest FILES` makes one; with "
                         "--token the reader starts empty and takes articles by POST /api/ingest)")
    _check_port_free(host, port)
    app = create_app(db, token=token, max_body=max_body)
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"khabar reader on http://{shown}:{port}/  (database {ctx.obj['db']}; Ctrl-C stops it)", err=True)
    if token:
        click.echo("POST /api/ingest is open to requests with the bearer token", err=True)
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    # a keep-alive longer than uvicorn's 5 s default: a busy server must not drop a client's
    # connection while it is slow to read the next request (benchmarks/load.py saw that)
    uvicorn.run(app, host=host, port=port, log_level="warning", server_header=False,
                timeout_keep_alive=30)


def _check_port_free(host: str, port: int) -> None:
    """Say so in one line, before announcing the address, when the port is taken."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise InputError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
