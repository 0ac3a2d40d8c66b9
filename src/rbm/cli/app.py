"""The `rbm` application object and what every command shares: settings, the store,
progress bars, error printing. Commands live in sibling modules, one concept each."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from rbm.domain.text import Lang
from rbm.i18n import FALLBACK, languages, missing, t
from rbm.store import database

if TYPE_CHECKING:
    # the store, the engine and their stacks are imported by the commands that run, so
    # that `rbm --help` and every command's start-up stay light (tests/test_startup.py)
    import sqlalchemy as sa
    from rich.progress import Progress

    from rbm.datapackage.errors import DataError
    from rbm.domain.dataset import Dataset

app = typer.Typer(
    help="Results-based management performance reporting.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

out = Console()
err = Console(stderr=True)


class OutputFormat(StrEnum):
    TEXT = "text"
    JSON = "json"


@dataclass
class Settings:
    db: str | None
    lang: Lang
    debug: bool

    @property
    def url(self) -> str:
        return database.database_url(self.db)


@app.callback()
def main(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option(
            "--db", envvar=database.URL_ENV, help="Database URL (default sqlite:///rbm.db)."
        ),
    ] = None,
    lang: Annotated[
        str,
        typer.Option(
            "--lang", envvar="RBM_LANG", help="Language of messages: one with a catalogue."
        ),
    ] = FALLBACK,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks.")] = False,
) -> None:
    """rbm: results framework, budgets, ratings and the performance report."""
    if lang not in languages():
        raise typer.BadParameter(", ".join(languages()), param_hint="--lang")
    ctx.obj = Settings(db, lang, debug)


@contextmanager
def store(settings: Settings, migrate: bool = True) -> Iterator[sa.Engine]:
    """The store, migrated to the newest schema unless `migrate` is false; disposed after use."""
    engine = database.open_store(settings.url) if migrate else database.create(settings.url)
    try:
        yield engine
    finally:
        engine.dispose()


def settings_of(ctx: typer.Context) -> Settings:
    settings = ctx.obj
    assert isinstance(settings, Settings)
    return settings


def progress_bar(quiet: bool) -> Progress:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=err,
        transient=True,
        disable=quiet or not err.is_terminal,
    )


def print_errors(errors: tuple[DataError, ...], lang: Lang) -> None:
    for error in errors:
        err.print(error.message(lang), markup=False, highlight=False, soft_wrap=True)


def warn_missing_catalogues(langs: Iterable[Lang], ui: Lang) -> None:
    """A warning for each language whose labels will read English: it has no catalogue."""
    for lang in missing(langs):
        err.print(t("cli.no_catalogue", ui, lang=lang), markup=False, soft_wrap=True)


def stored_dataset(settings: Settings, biennium: str | None) -> Dataset:
    """The biennium from the store (the latest by default); exits 1 when there is none."""
    from rbm.datapackage.errors import DataError
    from rbm.store.read import read_dataset

    with store(settings) as engine:
        dataset = read_dataset(engine, biennium)
    if dataset is None:
        print_errors(
            (DataError("biennium-missing", None, None, None, biennium or ""),), settings.lang
        )
        raise typer.Exit(1)
    return dataset


def run() -> None:
    """Console entry point: unexpected errors print one line, tracebacks only with --debug."""
    try:
        app()
    except Exception as exc:
        if "--debug" in sys.argv:
            raise
        err.print(t("cli.crashed", "en", error=f"{type(exc).__name__}: {exc}"), soft_wrap=True)
        sys.exit(2)
