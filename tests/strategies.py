"""Hypothesis strategies for whole datasets, generated from the resource definitions so that
keys are unique, references resolve and business rules hold."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from rbm.datapackage.fields import Field
from rbm.datapackage.resources import BY_NAME, RESOURCES, Resource
from rbm.domain.dataset import Dataset
from rbm.domain.enums import BudgetPhase, FootnoteScope
from rbm.domain.organization import Biennium
from rbm.domain.text import Text

# Cell text: printable, no surrogates; CSV quoting must carry commas, quotes and newlines.
_chars = st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufeff")
_plain = st.text(_chars, min_size=1, max_size=12).map(str.strip).filter(bool)
_cell = st.one_of(_plain, st.sampled_from(["a,b", 'say "hi"', "line\nbreak", "知识产权", "⚫"]))
_code = st.from_regex(r"[A-Za-z0-9]{1,6}", fullmatch=True)
_decimal = st.decimals(
    min_value=Decimal("-999999999999999"),
    max_value=Decimal("999999999999999"),
    places=6,
    allow_nan=False,
    allow_infinity=False,
)
_json = st.dictionaries(
    _plain, st.one_of(st.integers(-(10**6), 10**6), _plain, st.booleans()), max_size=3
)

BIENNIUM = Biennium(
    "2030-31", "org", Text("组织", "Org"), Text("两年期", "Biennium"), 2030, 2031, "EUR"
)
# a package's unit cells name its currency (kEUR); the domain keeps the scale (Unit)
CURRENCIES = ("CHF", "EUR", "JPY")


def _value(
    spec: Field, keys: dict[str, list[tuple[Any, ...]]], fk_targets: dict[str, tuple[str, str]]
) -> st.SearchStrategy[Any]:
    if spec.name in fk_targets:
        resource, _column = fk_targets[spec.name]
        known = [k[0] for k in keys.get(resource, [])]
        choice = st.sampled_from(known) if known else st.nothing()
        return choice if spec.required else st.one_of(st.none(), choice)
    if spec.kind == "text":
        en = _cell if spec.en_is_required else st.one_of(st.just(""), _cell)
        zh = _cell if spec.required else st.one_of(st.just(""), _cell)
        return st.builds(Text, zh, en)
    base: st.SearchStrategy[Any]
    if spec.enum is not None:  # a unit is its scale (Unit.THOUSAND), whatever the currency
        base = st.sampled_from(list(spec.enum))
    elif spec.kind in ("integer",):
        base = st.integers(-(10**9), 10**9)
    elif spec.kind == "year":
        base = st.sampled_from(BIENNIUM.years)
    elif spec.kind == "number":
        base = _decimal.map(lambda d: abs(d) if spec.minimum is not None else d)
    elif spec.kind == "boolean":
        base = st.booleans()
    elif spec.kind == "object":
        return _json
    elif spec.pattern is not None:
        base = _code
    else:
        base = _cell
    return base if spec.required else st.one_of(st.none(), base)


@st.composite
def datasets(draw: st.DrawFn, max_rows: int = 3) -> Dataset:
    """A valid dataset touching every resource, in dependency order."""
    keys: dict[str, list[tuple[Any, ...]]] = {}
    records: dict[str, tuple[object, ...]] = {}
    for resource in RESOURCES:
        fk_targets = {
            fk.fields[0]: (fk.resource, fk.reference[0])
            for fk in resource.foreign_keys
            if fk.resource != resource.name  # self references stay empty: no cycles
        }
        rows = draw(_rows(resource, keys, fk_targets, max_rows))
        records[resource.name] = tuple(resource.model(**row) for row in rows)
        if resource.primary_key:
            keys[resource.name] = [tuple(row[k] for k in resource.primary_key) for row in rows]
    biennium = replace(BIENNIUM, currency=draw(st.sampled_from(CURRENCIES)))
    return _fix_rules(Dataset.build(biennium, records))


def _rows(
    resource: Resource,
    keys: dict[str, list[tuple[Any, ...]]],
    fk_targets: dict[str, tuple[str, str]],
    max_rows: int,
) -> st.SearchStrategy[list[dict[str, Any]]]:
    specs = {f.name: _value(f, keys, fk_targets) for f in resource.fields}
    if any(spec.is_empty for spec in specs.values()):
        return st.just([])  # a required reference with nothing to point at
    for fk in resource.foreign_keys:
        if fk.resource == resource.name:
            specs[fk.fields[0]] = st.none()
    row = st.fixed_dictionaries(specs)
    uniques = (
        [resource.primary_key, *resource.unique] if resource.primary_key else list(resource.unique)
    )

    def key_of(columns: tuple[str, ...]) -> Any:
        def pick(r: dict[str, Any]) -> tuple[Any, ...]:
            out = []
            for c in columns:
                if c in r:
                    out.append(r[c])
                else:  # a text column such as short_zh
                    name, _, lang = c.rpartition("_")
                    out.append(getattr(r[name], lang))
            return tuple(out)

        return pick

    min_size = 1 if resource.name == "sources" else 0
    return st.lists(
        row,
        min_size=min_size,
        max_size=max_rows,
        unique_by=tuple(key_of(u) for u in uniques) or None,
    )  # type: ignore[arg-type]


def _fix_rules(dataset: Dataset) -> Dataset:
    """Make generated data obey the business rules the validator enforces."""
    facts = tuple(
        replace(f, amount=abs(f.amount)) if f.phase == BudgetPhase.EXECUTED else f
        for f in dataset.budget_facts
    )
    transfers = tuple(
        replace(t, transfers_out=t.transfers_in, unit=t.unit) for t in dataset.transfers
    )
    sectors = tuple(
        replace(s, unallocated=s.unallocated and i == 0) for i, s in enumerate(dataset.sectors)
    )
    known = {
        "indicator": {x.id for x in dataset.indicators},
        "pie": {x.id for x in dataset.pies},
        "risk": {x.id for x in dataset.risks},
        "source": {x.id for x in dataset.sources},
        "project": {x.id for x in dataset.capital_projects},
    }
    anchor = dataset.sources[0].id  # there is always one: attach dangling footnotes to it
    footnotes = tuple(
        f if f.ref in known[f.scope.value] else replace(f, scope=FootnoteScope.SOURCE, ref=anchor)
        for f in dataset.footnotes
    )
    return replace(
        dataset, budget_facts=facts, transfers=transfers, sectors=sectors, footnotes=footnotes
    )


assert set(BY_NAME) == {r.name for r in RESOURCES}
