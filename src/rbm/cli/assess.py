"""The assess command: every PIE rated, totals beside the published ones, agreement with the
published marks, and the risk summary."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Annotated

import typer

from rbm.cli.app import OutputFormat, app, settings_of, stored_dataset
from rbm.cli.json_output import write_json
from rbm.engine.rating.methodology import PerYear, ThresholdBasis


@app.command()
def assess(
    ctx: typer.Context,
    format: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.TEXT,
    biennium: Annotated[str | None, typer.Option("--biennium")] = None,
    basis: Annotated[
        ThresholdBasis | None,
        typer.Option("--threshold-basis", help="Thresholds: actual ÷ target, or progress."),
    ] = None,
    per_year: Annotated[
        PerYear | None,
        typer.Option("--per-year", help="Per-year targets: the lowest year or the mean."),
    ] = None,
    partially_at: Annotated[
        float | None,
        typer.Option("--partially-at", min=0, help="Lowest achievement (%) rated partially."),
    ] = None,
    places: Annotated[
        int | None,
        typer.Option("--places", min=0, max=6, help="Round achievements to these decimals."),
    ] = None,
    exact: Annotated[
        bool, typer.Option("--exact", help="Compare unrounded achievements with the bands.")
    ] = False,
) -> None:
    """Rate every PIE with the package's methodology (each option overrides one setting);
    totals beside the published ones; agreement with the published marks; risks."""
    from rbm.cli.assess_text import print_text
    from rbm.engine.rating.methodology import methodology_of
    from rbm.engine.rating.report import rating_report

    settings = settings_of(ctx)
    lang = settings.lang
    dataset = stored_dataset(settings, biennium)
    package = methodology_of(dataset.biennium.settings)
    try:
        methodology = replace(
            package,
            threshold_basis=basis or package.threshold_basis,
            per_year=per_year or package.per_year,
            partially_at=package.partially_at if partially_at is None else _decimal(partially_at),
            places=None if exact else package.places if places is None else places,
        )
    except ValueError as error:
        raise typer.BadParameter(str(error), param_hint="--partially-at") from error
    report = rating_report(dataset, methodology)
    if format == OutputFormat.JSON:
        write_json(report.to_dict(lang))
        return
    print_text(report, dataset, lang)


def _decimal(value: float) -> Decimal:
    """An option's number as typed: 60.0 → 60, 62.5 → 62.5."""
    number = Decimal(str(value))
    return number.to_integral_value() if number == number.to_integral_value() else number
