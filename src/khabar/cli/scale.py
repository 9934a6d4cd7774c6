"""Scale commands: `khabar ray-process` (stages on Ray → Parquet) and `khabar load-parquet`.

`khabar ingest --engine ray` is both in one go (see `ingest_with_ray`).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping, Sequence

import click

from khabar.cli import _open, _print_json, cli, stage_list
from khabar.corpus import Corpus, IngestReport
from khabar.ingest.readers import parse_field_map


def ingest_with_ray(corpus: Corpus, paths: Iterable[str], *, field_map: Mapping[str, tuple[str, ...]] | None,
                    outlet: str | None, batch_size: int, stages: Sequence[str] | None,
                    address: str | None, out: str | os.PathLike[str],
                    progress: Callable[[IngestReport, int], None] | None = None) -> IngestReport:
    """Run the stages on Ray into Parquet shards under `out` (resuming a stopped run), storing
    each shard in `corpus` as soon as it and the shards before it are written."""
    from khabar.executors.ray import ingest_on_ray

    return ingest_on_ray(corpus, list(paths), out, progress=progress,
                         stages=stages if stages is not None else corpus.pipeline.names,
                         field_map=field_map, outlet=outlet, batch_size=batch_size, address=address)


def default_parquet_out(db: str, paths: Sequence[str], *, stages: Sequence[str], batch_size: int,
                        outlet: str | None, field_map: Mapping[str, tuple[str, ...]] | None) -> str:
    """`DB.parquet/<run>`: one folder per run of these inputs and options, so the same command
    again resumes and an ingest of other inputs never reuses another run's shards."""
    from khabar.executors.ray import run_folder

    return str(run_folder(f"{db}.parquet", paths, stages, batch_size=batch_size, outlet=outlet,
                          field_map=field_map))


@cli.command("ray-process")
@click.argument("paths", nargs=-1, required=True)
@click.option("--out", "out", required=True, metavar="DIR", help="Folder for the Parquet shards.")
@click.option("--outlet", help="Outlet name for records that do not carry one.")
@click.option("--field", "fields", multiple=True, metavar="NAME=KEY[,KEY]", help="Map input keys to fields.")
@click.option("--batch-size", default=500, show_default=True, type=click.IntRange(1, 100_000))
@click.option("--stages", "stage_names", metavar="NAME,NAME", help="Run only these stages.")
@click.option("--ray-address", metavar="ADDR", help="Ray cluster to join (default: start a local one).")
@click.option("--num-cpus", type=click.IntRange(1, 4096), help="CPUs of the local Ray (default: all).")
@click.option("--json", "as_json", is_flag=True, help="Print the run's summary as JSON.")
def ray_process(paths: tuple[str, ...], out: str, outlet: str | None, fields: tuple[str, ...],
                batch_size: int, stage_names: str | None, ray_address: str | None,
                num_cpus: int | None, as_json: bool) -> None:
    """Run the pipeline on Ray and write Parquet shards (rerun to resume a stopped run)."""
    from khabar.executors.ray import process_to_parquet

    stages = stage_list(stage_names)
    run = process_to_parquet(list(paths), out, stages=stages, field_map=parse_field_map(fields),
                             outlet=outlet, batch_size=batch_size, address=ray_address,
                             num_cpus=num_cpus)
    if as_json:
        _print_json(run.to_dict())
    else:
        click.echo(f"{run.read:,} read in {run.shards:,} shards ({run.skipped_shards:,} already done)"
                   f" in {run.seconds:.1f}s → {out}")


@cli.command("load-parquet")
@click.argument("folder")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.pass_context
def load_parquet_cmd(ctx: click.Context, folder: str, as_json: bool) -> None:
    """Load the Parquet shards of a finished `ray-process` run into the database."""
    from khabar.executors.ray import load_parquet

    with _open(ctx, create=True) as corpus:
        report = load_parquet(corpus, folder)
    if as_json:
        _print_json({**report.to_dict(), "db": ctx.obj["db"]})
    else:
        click.echo(f"{report.summary()} → {ctx.obj['db']}")
