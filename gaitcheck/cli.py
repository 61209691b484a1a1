"""The `gaitcheck` command line: wires the pipeline stages together, computes nothing itself.

Subcommands are imported only when run, so `gaitcheck --help` never loads mediapipe or cv2.
"""
from __future__ import annotations

import importlib
import os
import sys

import click

from gaitcheck import __version__
from gaitcheck.errors import EXIT_INTERRUPTED, EXIT_NOT_ANALYSED, GaitcheckError

# name -> "module:attribute" of a click command; loaded on first use.
COMMANDS = {
    "analyze": "gaitcheck.commands.analyze:analyze",
    "batch": "gaitcheck.commands.batch:batch",
    "info": "gaitcheck.commands.info:info",
    "landmarks": "gaitcheck.commands.landmarks:landmarks",
    "synth": "gaitcheck.synth.command:synth",
}


class LazyGroup(click.Group):
    """A click group whose subcommands live in modules imported on demand."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        target = COMMANDS.get(name)
        if target is None:
            return None
        module, attribute = target.split(":")
        try:
            return getattr(importlib.import_module(module), attribute)
        except ModuleNotFoundError as missing:
            if missing.name and module.startswith(missing.name):
                return None  # a command whose module is not part of this build
            raise


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="gaitcheck")
def cli() -> None:
    """Watch a recorded walk and say, rule by rule, how the walker's posture holds up.

    An educational aid, not a medical device.
    """


def main() -> None:
    """Run the CLI; known errors become one line on stderr and the documented exit code."""
    from gaitcheck.native_log import filtered_native_stderr

    with filtered_native_stderr():
        _run()


def _run() -> None:
    try:
        cli.main(standalone_mode=False)
    except GaitcheckError as error:
        click.echo(f"gaitcheck: {error.message}", err=True)
        sys.exit(error.exit_code)
    except click.exceptions.Exit as done:
        sys.exit(done.exit_code)
    except click.ClickException as error:
        error.show()
        sys.exit(error.exit_code)
    except click.Abort:
        click.echo("gaitcheck: interrupted", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except KeyboardInterrupt:
        click.echo("gaitcheck: interrupted", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except Exception as error:  # a bug: one line, and the traceback only when asked for
        if os.environ.get("GAITCHECK_DEBUG"):
            raise
        click.echo(f"gaitcheck: internal error: {type(error).__name__}: {error} "
                   "(set GAITCHECK_DEBUG=1 for the traceback, and please report it)", err=True)
        sys.exit(EXIT_NOT_ANALYSED)
