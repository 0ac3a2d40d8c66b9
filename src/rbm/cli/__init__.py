"""The `rbm` command line: thin commands over the package reader, the store and the engine.

Each module registers its commands on the one `app`; importing this package loads them all.
They import the store, the web application and the report (seconds of imports) inside the
commands that use them, so that `rbm --help` and every command start light
(tests/test_startup.py).
"""

from rbm.cli import assess, db, package, reconcile, report, serve, summary, users
from rbm.cli import exchange as exchange
from rbm.cli.app import app, run

__all__ = [
    "app",
    "assess",
    "db",
    "package",
    "reconcile",
    "report",
    "run",
    "serve",
    "summary",
    "users",
]
