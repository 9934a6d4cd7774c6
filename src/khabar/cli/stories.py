"""Story commands: `khabar cluster`, `khabar stories`, `khabar story`."""

from __future__ import annotations

from typing import Any

import click

from khabar.cli import _open, _print_json, _short, cli, rows_range, input_options, readable_records
from khabar.stories.render import arabic_count_text, count


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@input_options
@click.option("--json", "as_json", is_flag=True, help="One {id, story, copy_group} object per article.")
@click.option("--dense", is_flag=True,
              help="Blend sentence-embedding similarity into the clustering (khabar[dense]; slow).")
def cluster(paths: tuple[str, ...], outlet: str | None, fields: tuple[str, ...], as_json: bool,
            dense: bool = False) -> None:
    """Group articles into stories and copy groups without storing them."""
    from khabar.stories import cluster_records, dense_config

    config = None
    if dense:
        from khabar.stories.dense import require

        require()  # one line when the package is missing, before reading anything
        config = dense_config()

    records = list(readable_records(paths, fields))
    rows = list(cluster_records(records, config, outlet=outlet))
    if as_json:
        for row in rows:
            _print_json(row)
        return
    by_story: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        by_story.setdefault(row["story"], []).append(row)
    # stories and copy groups are named after their first article: by the input's id, as
    # the articles are
    label = {row["article_id"]: row["id"] for row in reversed(rows)}
    click.echo(f"{count(len(rows), 'article')}, {len(by_story)} stor{'y' if len(by_story) == 1 else 'ies'}")
    for story, members in sorted(by_story.items(), key=lambda kv: -len(kv[1])):
        click.echo(f"story {label.get(story, story)}  ({count(len(members), 'article')})")
        for m in members:
            group = m["copy_group"]
            copy = "" if group == m["article_id"] else f"  copy of {label.get(group, group)}"
            # as `khabar articles` lists them: `-` for no outlet, `(no title)` for no title
            click.echo(f"    {m['id']}  {_short(m.get('outlet') or '-', 20):20}"
                       f"  {_short(m.get('title') or '(no title)', 50)}{copy}")


@cli.command()
@click.option("--sort", default="size", show_default=True, type=click.Choice(["size", "recency", "outlets"]))
@click.option("--limit", default=20, show_default=True, type=rows_range(), help="How many (0: all).")
@click.option("--min-size", default=1, show_default=True, type=rows_range(1))
@click.option("--json", "as_json", is_flag=True, help="One JSON object per story.")
@click.pass_context
def stories(ctx: click.Context, sort: str, limit: int, min_size: int, as_json: bool) -> None:
    """Stories in the database: articles from any outlet about the same event."""
    with _open(ctx) as corpus:
        rows = corpus.list_stories(sort=sort, limit=limit or None, min_size=min_size)
    if as_json:
        for row in rows:
            _print_json(row)
        return
    if not rows:
        click.echo("no stories yet: ingest some articles first")
    for row in rows:
        # the articles' own days (khabar.times), not UTC ones
        span = row["first_day"] or "(undated)"  # as `khabar articles` shows an undated one
        if row["last_day"] and row["last_day"] != span:
            span += ".." + row["last_day"]
        # "no outlet": none of its articles names one (`--outlet` names them at ingest)
        n = row["n_outlets"]
        outlets = f"{n:>3} outlet{'' if n == 1 else 's'}" if n else "  no outlet"
        click.echo(f"{row['id']}  {row['size']:>4} art {outlets:11}  {span:22}  {_short(row['title'] or '(no title)', 60)}")


@cli.command()
@click.argument("story_id")
@click.option("--json", "as_json", is_flag=True, help="The whole story record as one JSON object.")
@click.option("--markdown", "as_markdown", is_flag=True, help="The story as Markdown.")
@click.pass_context
def story(ctx: click.Context, story_id: str, as_json: bool, as_markdown: bool) -> None:
    """What one story says: summary with sources, facts and who reports them, conflicting
    figures, quotes by speaker, timeline, names and its articles."""
    from khabar.stories.render import to_markdown, to_text

    with _open(ctx) as corpus:
        data = corpus.story(story_id)
    if as_json:
        _print_json(data)
    elif as_markdown:
        click.echo(to_markdown(data), nl=False)
    else:
        click.echo(to_text(data), nl=False)


@cli.command()
@click.option("--story", "story_id", help="One story.")
@click.option("--day", help="Every story with an article published that day (YYYY-MM-DD).")
@click.option("--format", "fmt", default="markdown", show_default=True, type=click.Choice(["markdown", "html"]))
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), help="Write here instead of stdout.")
@click.option("--min-size", default=1, show_default=True, type=rows_range(1), help="With --day: smallest story shown.")
@click.pass_context
def report(ctx: click.Context, story_id: str | None, day: str | None, fmt: str, output: str | None,
           min_size: int) -> None:
    """A Markdown or HTML report of one story or of all stories of a day."""
    from datetime import date

    from khabar.errors import InputError
    from khabar.stories.render import to_html, to_markdown

    if bool(story_id) == bool(day):
        raise InputError("give exactly one of --story ID or --day YYYY-MM-DD")
    with _open(ctx) as corpus:
        if story_id:
            stories = [corpus.story(story_id)]
            title = stories[0].get("headline") or stories[0]["title"]
        else:
            from khabar.store.reader import ascii_day

            day = ascii_day(day)  # ٢٠٢٦-٠٣-١٧ is that day too
            try:
                date.fromisoformat(day or "")
            except ValueError:
                raise InputError(f"--day wants YYYY-MM-DD, got {day!r}") from None
            # days in the articles' own offsets (khabar.times), as the reader's since/until:
            # a story whose articles' days run from `day` or before to `day` or after
            # (the reader's filter reads only the articles of stories near the day in UTC, not
            # every story's articles)
            _, total = corpus.find_stories(since=day, until=day, limit=1, min_size=min_size)
            rows, _ = corpus.find_stories(sort="size", since=day, until=day, limit=max(1, total),
                                          min_size=min_size)
            ids = [row["id"] for row in rows]
            stories = [corpus.story(i) for i in ids]
            title = f"خبر · {day} · {arabic_count_text(len(stories), 'story')}"
    if fmt == "html":
        text = to_html(stories, title)
    else:
        text = f"# {title}\n\n" + "\n".join(to_markdown(s) for s in stories) if day else to_markdown(stories[0])
    if output:
        with open(output, "w", encoding="utf-8") as fh:
            fh.write(text)
        click.echo(f"{len(stories)} stor{'y' if len(stories) == 1 else 'ies'} → {output}", err=True)
    else:
        click.echo(text, nl=False)
