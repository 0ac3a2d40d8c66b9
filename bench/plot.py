"""The benchmark's figures drawn as a PNG: time and peak memory against size for each step,
one row of charts for the WIPO multiples and one for the ledgers (Altair and vl-convert, the
report's own chart stack, so no plotting library is added).

usage: .venv/bin/python -m bench.plot OUT.png RUN.json [RUN.json …]
       (redraws, and prints the table of, the figures of several `bench.run --json` runs)
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench.measure import Figures, Run, markdown_table, median


def points(figures: Sequence[Figures]) -> list[dict[str, Any]]:
    """One point a step and size that ran, with the axis it belongs on."""
    out = []
    for f in figures:
        if f.seconds is None or f.step.startswith("web"):
            continue
        axis = "ledger rows" if f.size.endswith("rows") else "× WIPO"
        out.append(
            {"step": f.step, "x": f.x, "axis": axis, "seconds": f.seconds, "peak_mib": f.peak_mib}
        )
        ok = [r for r in f.baseline_runs if r.returncode == 0]
        # a baseline shared by two steps (DuckDB's GROUP BY) is drawn once a size
        if (
            f.baseline
            and ok
            and not any(p["step"] == f"baseline: {f.baseline}" and p["x"] == f.x for p in out)
        ):
            out.append(
                {
                    "step": f"baseline: {f.baseline}",
                    "x": f.x,
                    "axis": axis,
                    "seconds": f.baseline_seconds,
                    "peak_mib": median([r.peak_mib for r in ok]),
                }
            )
    return out


def draw(figures: Sequence[Figures], target: Path) -> None:
    import altair as alt
    import vl_convert

    rows = []
    for axis in ("× WIPO", "ledger rows"):
        values = [p for p in points(figures) if p["axis"] == axis]
        if not values:
            continue
        base = alt.Chart(alt.Data(values=values)).encode(  # type: ignore[no-untyped-call]
            x=alt.X("x:Q", title=axis, scale=alt.Scale(type="log")),
            color=alt.Color(
                "step:N",
                title="step",
                scale=alt.Scale(scheme="tableau20"),
                legend=alt.Legend(labelLimit=320),
            ),
        )
        # baselines dashed, beside the steps they measure
        line = base.mark_line(point=True).encode(
            strokeDash=alt.condition(
                "indexof(datum.step, 'baseline') === 0", alt.value([4, 3]), alt.value([1, 0])
            )
        )
        time = line.encode(y=alt.Y("seconds:Q", title="seconds", scale=alt.Scale(type="log")))
        memory = line.encode(y=alt.Y("peak_mib:Q", title="peak MiB", scale=alt.Scale(type="log")))
        rows.append(
            alt.hconcat(
                time.properties(width=360, height=240, title=f"time against {axis}"),
                memory.properties(width=360, height=240, title=f"peak memory against {axis}"),
            )
        )
    if not rows:
        return
    chart = alt.vconcat(*rows).resolve_scale(color="independent")
    target.write_bytes(vl_convert.vegalite_to_png(chart.to_dict(), scale=2))


def from_json(path: Path) -> list[Figures]:
    """The figures a `bench.run --json` run wrote."""
    document = json.loads(path.read_text(encoding="utf-8"))
    out = []
    for item in document["figures"]:
        figures = Figures(
            item["step"], item["size"], item["x"], item["rows"], baseline=item["baseline"]
        )
        figures.note = item["note"]
        figures.runs = [Run(**run) for run in item["runs"]]
        figures.baseline_runs = [Run(**run) for run in item["baseline_runs"]]
        out.append(figures)
    return out


def main(argv: Sequence[str]) -> None:
    target, *runs = argv
    figures = [f for run in runs for f in from_json(Path(run))]
    print(markdown_table(figures))
    draw(figures, Path(target))


if __name__ == "__main__":
    main(sys.argv[1:])
