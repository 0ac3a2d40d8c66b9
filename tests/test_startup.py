"""The command line starts light: the help of `rbm` and of every command imports none of the
store's, the web's or the report's stacks, which are imported by the commands that use them
(start-up figures are in docs/performance.md)."""

from __future__ import annotations

import json
import subprocess
import sys

# what `rbm --help` imported before the commands imported their stacks themselves
HEAVY = (
    "sqlalchemy",
    "alembic",
    "fastapi",
    "starlette",
    "uvicorn",
    "altair",
    "vl_convert",
    "weasyprint",
    "openpyxl",
    "xlsxwriter",
    "jinja2",
    "argon2",
    "babel",
)

# in a fresh interpreter: the help of the application and of each command, then the heavy
# packages that were imported (the `rbm` script and the chart workers import rbm.cli too)
PROBE = """
import json, sys
from typer.testing import CliRunner
from rbm.cli import app
from rbm.cli.reference import _commands

runner = CliRunner()
helps = {}
for path in _commands(app):
    result = runner.invoke(app, [*path, "--help"], prog_name="rbm")
    helps[" ".join(path)] = [result.exit_code, "Usage: rbm" in result.stdout]
heavy = sorted({name.split(".")[0] for name in sys.modules} & set(sys.argv[1:]))
print(json.dumps({"helps": helps, "heavy": heavy}))
"""


def _probe() -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *HEAVY], capture_output=True, text=True, check=True
    )
    found: dict[str, object] = json.loads(done.stdout)
    return found


def test_help_imports_no_heavy_stack() -> None:
    found = _probe()
    helps = found["helps"]
    assert isinstance(helps, dict)
    # every command printed its help (so every command module was imported and registered)
    assert {"", "assess", "report", "serve", "db upgrade", "token create"} <= set(helps)
    assert all(result == [0, True] for result in helps.values()), helps
    assert found["heavy"] == []
