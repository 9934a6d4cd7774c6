"""Entity commands: `khabar entities` (names by how many articles mention them) and
`khabar entity KEY` (one name: its spellings, articles, stories and quotes)."""

from __future__ import annotations

import click

from khabar.cli import _open, _print_json, _short, cli, rows_range
from khabar.stories.render import count
from khabar.times import minute


@cli.command()
@click.option("--label", type=click.Choice(["PER", "ORG", "LOC", "MISC"]), help="Only this kind of name.")
@click.option("--query", "-q", help="Only names containing these words (any spelling).")
@click.option("--limit", default=30, show_default=True, type=rows_range(), help="How many (0: all).")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per entity.")
@click.pass_context
def entities(ctx: click.Context, label: str | None, query: str | None, limit: int, as_json: bool) -> None:
    """People, organisations and places, by how many articles name them."""
    with _open(ctx) as corpus:
        rows = corpus.entities(label, limit=limit or None, query=query)
    if as_json:
        for row in rows:
            _print_json(row)
        return
    if not rows:
        click.echo("no entities: ingest articles with the entities stage first")
    for row in rows:
        stories = "story  " if row["n_stories"] == 1 else "stories"  # one width: the names line up
        click.echo(f"{row['label']:4} {row['n_articles']:>5} art {row['n_stories']:>4} {stories}  "
                   f"{_short(row['canonical'], 40):40}  {row['key']}")


@cli.command()
@click.argument("key")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def entity(ctx: click.Context, key: str, as_json: bool) -> None:
    """One entity by key (from `khabar entities`) or by name in any spelling."""
    with _open(ctx) as corpus:
        data = corpus.entity(key, wider=not as_json)
    if as_json:
        _print_json(data)
        return
    click.echo(f"{data['canonical']} ({data['label']})  key {data['key']}")
    if data.get("wider"):  # asked for سلمان, the longer names that hold it may be the one meant
        click.echo("also: " + "، ".join(f"{row['canonical']} ({count(row['n_articles'], 'article')}, "
                                         f"{row['key']})" for row in data["wider"]))
    click.echo(f"written as: {'، '.join(data['aliases'])}")
    stories = len(data["stories"])
    click.echo(f"{count(data['n_articles'], 'article')}, {stories} stor{'y' if stories == 1 else 'ies'}")
    for s in data["stories"][:15]:
        click.echo(f"  story {s['id']}  {s['n_articles']:>3}/{s['size']:<3} {_short(s['title'] or '(no title)', 60)}")
    if data["quotes"]:
        click.echo("quotes:")
        for q in data["quotes"][:15]:
            click.echo(f"  {_short(q['outlet'], 20):20}  {q['verb']}: {_short(q['text'], 80)}")
    click.echo("articles:")
    for a in data["articles"][:20]:
        click.echo(f"  {a['id']}  {minute(a['published']):22}  {_short(a['outlet'], 20):20}  {_short(a['title'] or '', 50)}")
