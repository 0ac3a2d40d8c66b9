"""Hypothesis strategies for whole datasets, generated from the resource definitions so that
keys are unique, references resolve and business rules hold."""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from rbm.datapackage.descriptor import build_descriptor, write_descriptor
from rbm.datapackage.fields import Field
from rbm.datapackage.resources import BY_NAME, REQUIRED_RESOURCES, RESOURCES, Resource
from rbm.datapackage.settings import PHASES
from rbm.datapackage.writer import write_resource
from rbm.domain.dataset import Dataset
from rbm.domain.enums import BudgetPhase, FootnoteScope, NarrativeRef, Rating
from rbm.domain.organization import Biennium
from rbm.domain.settings import FULLY_AT, PARTIALLY_AT
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
    "2030-31",
    "org",
    Text.of(zh="组织", en="Org"),
    Text.of(zh="两年期", en="Biennium"),
    2030,
    2031,
    "EUR",
)
# a package's unit cells name its currency (kEUR); the domain keeps the scale (Unit)
CURRENCIES = ("CHF", "EUR", "JPY")
# a package's languages: with catalogues (zh, en, fr), and without one (es, whose labels
# read English)
LANGUAGES: tuple[tuple[str, ...], ...] = (
    ("zh", "en"),
    ("en", "zh"),
    ("en",),
    ("en", "fr"),
    ("fr",),
    ("es", "en"),
)


def _value(
    spec: Field,
    keys: dict[str, list[tuple[Any, ...]]],
    fk_targets: dict[str, tuple[str, str]],
    blank: bool = False,
    langs: tuple[str, ...] = ("zh", "en"),
) -> st.SearchStrategy[Any]:
    if blank or spec.name == "formula":  # optional and empty in every row (a formula
        # names other lines: the identities have tests of their own)
        return st.just(Text()) if spec.kind == "text" else st.none()
    if spec.name in fk_targets:
        resource, _column = fk_targets[spec.name]
        known = [k[0] for k in keys.get(resource, [])]
        choice = st.sampled_from(known) if known else st.nothing()
        return choice if spec.required else st.one_of(st.none(), choice)
    if spec.kind == "text":
        cells = [
            _cell if spec.column_required(i) else st.one_of(st.just(""), _cell)
            for i in range(len(langs))
        ]
        # in the package's order, which the reader keeps (a mapping strategy sorts its keys)
        return st.tuples(*cells).map(lambda texts: Text.of(dict(zip(langs, texts, strict=True))))
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
def datasets(
    draw: st.DrawFn,
    max_rows: int = 3,
    present: frozenset[str] | None = None,
    blank: frozenset[tuple[str, str]] = frozenset(),
    min_rows: int = 0,
    langs: tuple[str, ...] | None = None,
) -> Dataset:
    """A valid dataset touching every resource (or only those `present`), in dependency
    order, in `langs` (drawn when None); the optional fields in `blank`, (resource, field)
    pairs, are empty in every row; a resource has `min_rows` rows at least when the rows it
    refers to exist."""
    langs = langs or draw(st.sampled_from(LANGUAGES))
    keys: dict[str, list[tuple[Any, ...]]] = {}
    records: dict[str, tuple[object, ...]] = {}
    for resource in RESOURCES:
        fk_targets = {
            fk.fields[0]: (fk.resource, fk.reference[0])
            for fk in resource.foreign_keys
            if fk.resource != resource.name  # self references stay empty: no cycles
        }
        empty = frozenset(f for r, f in blank if r == resource.name)
        absent = present is not None and resource.name not in present
        rows = (
            []
            if absent
            else draw(_rows(resource, keys, fk_targets, max_rows, empty, min_rows, langs))
        )
        records[resource.name] = tuple(resource.model(**row) for row in rows)
        if resource.primary_key:
            keys[resource.name] = [tuple(row[k] for k in resource.primary_key) for row in rows]
    biennium = replace(
        BIENNIUM,
        organization_name=Text.of({lang: f"Org ({lang})" for lang in langs}),
        label=Text.of({lang: f"Biennium ({lang})" for lang in langs}),
        currency=draw(st.sampled_from(CURRENCIES)),
        settings=replace(BIENNIUM.settings, languages=langs),
    )
    return _fix_rules(Dataset.build(biennium, records))


def _rows(
    resource: Resource,
    keys: dict[str, list[tuple[Any, ...]]],
    fk_targets: dict[str, tuple[str, str]],
    max_rows: int,
    blank: frozenset[str] = frozenset(),
    min_rows: int = 0,
    langs: tuple[str, ...] = ("zh", "en"),
) -> st.SearchStrategy[list[dict[str, Any]]]:
    specs = {f.name: _value(f, keys, fk_targets, f.name in blank, langs) for f in resource.fields}
    if any(spec.is_empty for spec in specs.values()):
        return st.just([])  # a required reference with nothing to point at
    for fk in resource.foreign_keys:
        if fk.resource == resource.name:
            specs[fk.fields[0]] = st.none()
    row = st.fixed_dictionaries(specs)

    def key_of(columns: tuple[str, ...]) -> Any:
        def pick(r: dict[str, Any]) -> tuple[Any, ...]:
            out = []
            for c in columns:
                if c in r:
                    out.append(r[c])
                else:  # a text column such as short_zh: its text in that language
                    name, _, lang = c.rpartition("_")
                    out.append(r[name].exact(lang) or object())  # an empty text is no key
            return tuple(out)

        return pick

    min_size = max(min_rows, 1 if resource.name == "sources" else 0)
    return st.lists(
        row,
        min_size=min_size,
        max_size=max_rows,
        unique_by=tuple(key_of(u) for u in resource.keys(langs)) or None,
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
    compared = {
        NarrativeRef.PIE_BASELINE: known["pie"],
        NarrativeRef.PIE_ACTUAL: known["pie"],
        NarrativeRef.PUBLISHED: {x.id for x in dataset.published_figures},
    }
    quoted = tuple(f for f in dataset.narrative_figures if f.ref in compared[f.compares])
    marks = dataset.biennium.settings.marks
    pies = tuple(
        p if p.published_mark in marks else replace(p, published_mark=None) for p in dataset.pies
    )
    return replace(
        dataset,
        budget_facts=facts,
        transfers=transfers,
        sectors=sectors,
        footnotes=footnotes,
        narrative_figures=quoted,
        pies=pies,
    )


# Packages with what is optional left out: resources, columns, settings, report.yaml.
OPTIONAL_RESOURCES = tuple(r.name for r in RESOURCES if r.name not in REQUIRED_RESOURCES)
OPTIONAL_FIELDS = tuple((r.name, f.name) for r in RESOURCES for f in r.fields if not f.required)
SETTING_KEYS = (
    "languages",
    "currency_name",
    "period",
    "transfer_rule",
    "rating",
    "marks",
    "utilization_basis",
)
_percent = st.one_of(st.integers(0, 100), st.sampled_from([0.5, 12.5, 99.9]))
_marks = st.sampled_from(["\u26ab", "\uf070", "\u29eb", "●", "A"])  # WIPO's three, and others


@dataclass(frozen=True)
class Package:
    """A generated package: its dataset, the resources its descriptor lists, the `rbm`
    settings it states and whether it names the organization and labels the biennium."""

    dataset: Dataset
    resources: frozenset[str]
    settings: dict[str, Any]
    named: bool

    def write(self, folder: Path) -> None:
        """Write the descriptor and the CSV files of the listed resources only."""
        for resource in RESOURCES:
            if resource.name in self.resources:
                write_resource(self.dataset, resource, folder)
        descriptor = build_descriptor(self.dataset.biennium, resources=self.resources)
        rbm = {k: v for k, v in descriptor["rbm"].items() if k not in SETTING_KEYS}
        if not self.named:
            del rbm["organization"]["name"], rbm["biennium"]["label"]
        descriptor["rbm"] = {**rbm, **self.settings}
        write_descriptor(descriptor, folder)


@st.composite
def rating_settings(draw: st.DrawFn) -> dict[str, Any]:
    """The `rating` block: any of its keys, the bands in order (with the default of one left
    out)."""
    block: dict[str, Any] = draw(
        st.fixed_dictionaries(
            {},
            optional={
                "fully_at": _percent,
                "partially_at": _percent,
                "places": st.one_of(st.none(), st.integers(0, 6)),
                "threshold_basis": st.sampled_from(["ratio", "progress"]),
                "per_year": st.sampled_from(["minimum", "mean"]),
                "not_comparable": st.sampled_from(["baseline", "all", "ignore"]),
            },
        )
    )
    bands = (block.get("partially_at", int(PARTIALLY_AT)), block.get("fully_at", int(FULLY_AT)))
    low, high = sorted(bands)  # a band left out is its default
    for key, band in (("partially_at", low), ("fully_at", high)):
        if key in block:
            block[key] = band
    return block


def settings_blocks(
    source_ids: list[str], langs: tuple[str, ...]
) -> st.SearchStrategy[dict[str, Any]]:
    """The optional settings of a descriptor's `rbm` block, each absent or valid, for a
    package in `langs` (stated, unless English alone, the default, may go unsaid)."""
    ratings = [r.value for r in Rating]
    texts = st.fixed_dictionaries({lang: _plain for lang in langs})
    stated = {"languages": st.just(list(langs))}
    return st.fixed_dictionaries(
        {} if langs == ("en",) else stated,
        optional={
            **(stated if langs == ("en",) else {}),
            "currency_name": texts,
            "period": st.fixed_dictionaries({}, optional={"label": texts, "end": texts}),
            "transfer_rule": st.fixed_dictionaries(
                {"sector_pct": _percent, "total_pct": _percent},
                optional={"basis": st.sampled_from(["net", "gross"])},
            ),
            "rating": rating_settings(),
            "marks": st.dictionaries(
                _marks,
                st.lists(st.sampled_from(ratings), min_size=1, max_size=3, unique=True),
            ),
            "utilization_basis": st.dictionaries(
                st.sampled_from(source_ids), st.sampled_from(PHASES), max_size=2
            ),
        },
    )


@st.composite
def packages(draw: st.DrawFn, max_rows: int = 3) -> Package:
    """A valid package leaving out any optional resources (few or most), columns and settings,
    and report.yaml (the generic layout applies)."""
    some = st.frozensets(st.sampled_from(OPTIONAL_RESOURCES))
    chosen = draw(st.one_of(some, some.map(frozenset(OPTIONAL_RESOURCES).difference)))
    present = frozenset(REQUIRED_RESOURCES) | chosen
    blank = draw(
        st.one_of(
            st.just(frozenset(OPTIONAL_FIELDS)), st.frozensets(st.sampled_from(OPTIONAL_FIELDS))
        )
    )
    dataset = draw(datasets(max_rows, present, blank, min_rows=draw(st.integers(0, 1))))
    langs = dataset.biennium.settings.languages
    block = draw(settings_blocks([s.id for s in dataset.sources], langs))
    marks = sorted(block.get("marks", {}))  # a published mark must be one the settings define
    mark = st.none() if not marks or ("pies", "published_mark") in blank else st.sampled_from(marks)
    pies = tuple(replace(p, published_mark=draw(st.none() | mark)) for p in dataset.pies)
    return Package(dataset.with_records(pies=pies), present, block, draw(st.booleans()))


assert set(BY_NAME) == {r.name for r in RESOURCES}
