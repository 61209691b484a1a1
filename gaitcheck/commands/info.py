"""`gaitcheck info CLIP`: what probing the clip found."""
from __future__ import annotations

import json
from dataclasses import asdict

import click


@click.command()
@click.argument("clip", type=click.Path(path_type=str))
@click.option("--json", "as_json", is_flag=True, help="Print the facts as JSON.")
def info(clip: str, as_json: bool) -> None:
    """Show a clip's size, frame rate, frame count, duration and rotation."""
    from rich.console import Console
    from rich.table import Table

    from gaitcheck.video import probe

    facts = probe(clip)
    if as_json:
        click.echo(json.dumps(asdict(facts), indent=2))
        return
    table = Table(show_header=False, box=None)
    for label, value in (
        ("file", facts.path),
        ("size", f"{facts.width}×{facts.height} (upright)"),
        ("frame rate", f"{facts.fps:.3f} fps"),
        ("frames", f"{facts.frame_count} (as the container states)"),
        ("duration", f"{facts.duration_s:.2f} s"),
        ("rotation flag", f"{facts.rotation}°" + (" (applied)" if facts.rotation else "")),
        ("codec", facts.codec),
    ):
        table.add_row(f"[bold]{label}[/]", str(value))
    Console().print(table)
