"""Story commands: `khabar cluster`, `khabar stories`, `khabar story`."""

from __future__ import annotations

from typing import Any

import click

from khabar.cli import _open, _print_json, _short, cli
from khabar.ingest.readers import Rejected


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--outlet", help="Outlet name for records that do not carry one.")
@click.option("--json", "as_json", is_flag=True, help="One {id, story, copy_group} object per article.")
def cluster(paths: tuple[str, ...], outlet: str | None, as_json: bool) -> None:
    """Group articles into stories and copy groups without storing them."""
    from khabar.ingest.readers import read_paths
    from khabar.stories import cluster_records

    records = []
    for item in read_paths(paths):
        if isinstance(item, Rejected):
            click.echo(f"khabar: {item.origin}: {item.reason}", err=True)
        else:
            records.append(item)
    rows = list(cluster_records(records, outlet=outlet))
    if as_json:
        for row in rows:
            _print_json(row)
        return
    by_story: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        by_story.setdefault(row["story"], []).append(row)
    click.echo(f"{len(rows)} articles, {len(by_story)} stories")
    for story, members in sorted(by_story.items(), key=lambda kv: -len(kv[1])):
        click.echo(f"story {story}  ({len(members)} articles)")
        for m in members:
            copy = "" if m["copy_group"] == m["id"] else f"  copy of {m['copy_group']}"
            click.echo(f"    {m['id']}  {_short(m.get('outlet') or '', 20):20}  {_short(m.get('title') or '', 50)}{copy}")


@cli.command()
@click.option("--sort", default="size", show_default=True, type=click.Choice(["size", "recency", "outlets"]))
@click.option("--limit", default=20, show_default=True, type=click.IntRange(0))
@click.option("--min-size", default=1, show_default=True, type=click.IntRange(1))
@click.option("--json", "as_json", is_flag=True, help="One JSON object per story.")
@click.pass_context
def stories(ctx: click.Context, sort: str, limit: int, min_size: int, as_json: bool) -> None:
    """Stories in the database: articles from any outlet about the same event."""
    with _open(ctx) as corpus:
        rows = corpus.list_stories(sort=sort, limit=limit, min_size=min_size)
    if as_json:
        for row in rows:
            _print_json(row)
        return
    if not rows:
        click.echo("no stories yet: ingest some articles first")
    for row in rows:
        span = (row["first_seen"] or "")[:10]
        if row["last_seen"] and row["last_seen"][:10] != span:
            span += ".." + row["last_seen"][:10]
        click.echo(f"{row['id']}  {row['size']:>4} art {row['n_outlets']:>3} outlets  {span:22}  {_short(row['title'], 60)}")


@cli.command()
@click.argument("story_id")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def story(ctx: click.Context, story_id: str, as_json: bool) -> None:
    """One story: its articles, outlets and copy groups."""
    with _open(ctx) as corpus:
        data = corpus.story(story_id)
    if as_json:
        _print_json(data)
        return
    click.echo(f"story {data['id']}: {data['title']}")
    click.echo(f"{data['size']} articles from {data['n_outlets']} outlets: {', '.join(data['outlets'])}")
    click.echo(f"{data['first_seen'] or '?'} .. {data['last_seen'] or '?'}")
    for a in data["articles"]:
        copy = "" if a["copy_group"] == a["id"] else f"  (copy of {a['copy_group']})"
        click.echo(f"  {a['id']}  {(a['published'] or '')[:16]:16}  {_short(a['outlet'], 20):20}  {_short(a['title'], 50)}{copy}")
