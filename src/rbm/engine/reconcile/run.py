"""Running every check over a dataset."""

from __future__ import annotations

from rbm.domain.dataset import Dataset
from rbm.engine.reconcile import accounts, narratives, projects, ratios, sums
from rbm.engine.reconcile.facts import figures as published
from rbm.engine.reconcile.findings import Finding, Reconciliation
from rbm.engine.reconcile.ledger import Ledger
from rbm.engine.reconcile.lookup import Lookup
from rbm.engine.reconcile.settings import Settings


def reconcile(dataset: Dataset, settings: Settings | None = None) -> Reconciliation:
    """All findings, and the published figures that no check could recompute; the settings
    are the package's (`Settings.of`) unless given."""
    settings = settings or Settings.of(dataset.biennium.settings)
    ledger = Ledger(dataset)
    figures = published(dataset)
    lookup = Lookup(ledger, figures)
    findings: list[Finding] = []
    checked: set[str] = set()
    for found, fig in (
        *sums.published_totals(ledger, figures, settings),
        *sums.published_parts(ledger, figures, settings),
        *ratios.utilization(lookup, figures, settings),
        *ratios.variance_pct(lookup, figures, settings),
        *ratios.shares(lookup, figures, settings),
        *accounts.transfers(dataset, lookup, figures, settings),
        *accounts.identities(dataset, figures, settings),
        *accounts.variances(lookup, figures, settings),
        *projects.projects(dataset, figures, settings),
        *projects.deliverables(dataset, figures, settings),
        *projects.balances_returned(dataset, figures, settings),
        *projects.utilization_bases(dataset, figures),
        *projects.fund_totals(dataset, figures, settings),
    ):
        if found is not None:
            findings.append(found)
            if fig is not None:
                checked.add(fig.figure.id)
    findings.extend(sums.published_pairs(figures, settings))
    findings.extend(sums.fact_pairs(ledger, settings))
    findings.extend(accounts.demand_by_year(dataset, settings))
    findings.extend(projects.cmp_against_annex_6(dataset, settings))
    findings.extend(projects.trust_funds(dataset, settings))
    findings.extend(ratios.utilization_basis(lookup, figures, settings))
    findings.extend(narratives.narrative_figures(dataset))
    checked.update(f.left.ref or "" for f in findings if f.check == "published_pair")
    checked.update(f.right.ref or "" for f in findings if f.check == "published_pair")
    unchecked = tuple(f.figure.id for f in figures if f.figure.id not in checked)
    return Reconciliation(tuple(findings), unchecked)
