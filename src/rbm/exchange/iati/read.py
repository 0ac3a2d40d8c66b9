"""Reading IATI 2.03 files back into a dataset: organisations, results, indicators,
baselines, periods and budgets, and what the rbm extension carries.

Any publisher's file is accepted: what maps is imported, and every element that does not
is reported with its path (`/iati-activities/iati-activity[1]/result[2]/…`), never dropped
in silence. A file rbm wrote reads back to the same files when exported again."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from rbm.datapackage.cells import CellContext
from rbm.datapackage.resources import BY_NAME, CODE
from rbm.domain.dataset import Dataset
from rbm.domain.enums import BudgetPhase, SourceKind, TargetKind, Unit
from rbm.domain.finance import BudgetFact
from rbm.domain.framework import ExpectedResult, Indicator, IndicatorSector, Pie, Pillar, Sector
from rbm.domain.organization import Biennium, Source
from rbm.domain.settings import Settings
from rbm.domain.text import Text
from rbm.exchange.iati.activity import NATIVE, PERCENTAGE, QUALITATIVE
from rbm.exchange.iati.extension import RECORDS, read_record, read_settings_element
from rbm.exchange.iati.xml import LANG, RBM_NS, narrative_text, rbm

SOURCE = "iati"  # the source every imported record cites: the files read
START_TYPES, END_TYPES = ("1", "2"), ("3", "4")  # IATI ActivityDateType planned/actual
_CODE = re.compile(CODE)


class IatiError(Exception):
    """A file that cannot be imported at all; `key` is the message's catalogue key."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key, params)
        self.key = key
        self.params = params


@dataclass(frozen=True)
class LeftOut:
    """An element (or an attribute, after `@`) the import could not map, and why."""

    file: str
    path: str
    reason: str  # not-mapped, not-a-number, unknown-sector, other-currency, bad-value


@dataclass(frozen=True)
class Imported:
    dataset: Dataset
    left_out: tuple[LeftOut, ...]


@dataclass
class _File:
    """One parsed file and the elements the import used."""

    name: str
    root: ET.Element
    used: set[int] = field(default_factory=set)
    problems: list[LeftOut] = field(default_factory=list)
    paths: dict[int, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._index(self.root, f"/{self.root.tag}")

    def _index(self, element: ET.Element, path: str) -> None:
        self.paths[id(element)] = path
        counts: dict[str, int] = {}
        for child in element:
            tag = _short(child.tag)
            counts[tag] = counts.get(tag, 0) + 1
            self._index(child, f"{path}/{tag}[{counts[tag]}]")

    def use(self, *elements: ET.Element | None) -> None:
        """Mark elements as mapped (their children are judged one by one)."""
        self.used.update(id(e) for e in elements if e is not None)

    def take(self, *elements: ET.Element | None) -> None:
        """Mark elements and everything inside them as mapped."""
        for element in elements:
            if element is not None:
                self.used.update(id(e) for e in element.iter())

    def problem(self, element: ET.Element, reason: str, attribute: str | None = None) -> None:
        path = self.paths[id(element)] + ("" if attribute is None else f"/@{attribute}")
        self.problems.append(LeftOut(self.name, path, reason))

    def left_out(self) -> list[LeftOut]:
        """Problems found, then the outermost elements nothing used, in document order."""
        found = list(self.problems)

        def walk(element: ET.Element) -> None:
            for child in element:
                if id(child) in self.used:
                    walk(child)
                else:
                    found.append(LeftOut(self.name, self.paths[id(child)], "not-mapped"))

        walk(self.root)
        return found


def _short(tag: str) -> str:
    """A tag as a path names it: the extension's with its `rbm:` prefix."""
    return tag.replace(f"{{{RBM_NS}}}", "rbm:")


def parse(name: str, content: bytes) -> ET.Element:
    """The root of an IATI file; raises IatiError when it is not one."""
    try:
        root = ET.fromstring(content)
    except ET.ParseError as exc:
        raise IatiError("iati.error.not-xml", file=name, detail=str(exc)) from exc
    if root.tag not in ("iati-activities", "iati-organisations"):
        raise IatiError("iati.error.not-iati", file=name, tag=root.tag)
    version = root.get("version", "")
    if not version.startswith("2."):
        raise IatiError("iati.error.version", file=name, version=version or "-")
    return root


def read_iati(files: Sequence[tuple[str, bytes]]) -> Imported:
    """A dataset from IATI activity and organisation files (name, bytes), and what was left
    out; raises IatiError when the files say too little to make a biennium."""
    parsed = [_File(name, parse(name, content)) for name, content in files]
    activities = [f for f in parsed if f.root.tag == "iati-activities"]
    organisations = [f for f in parsed if f.root.tag == "iati-organisations"]
    biennium = _biennium(activities, organisations)
    context = CellContext.of(biennium)
    builder = _Builder(biennium, context)
    for file in organisations:
        builder.organisations(file)
    for file in activities:
        builder.activities(file)
    dataset = builder.dataset(", ".join(name for name, _ in files))
    left_out = tuple(item for f in parsed for item in f.left_out())
    return Imported(dataset, left_out)


def _biennium(activities: list[_File], organisations: list[_File]) -> Biennium:
    files = activities + organisations
    first = files[0]
    org_root = organisations[0].root.find("iati-organisation") if organisations else None
    activity = next((a for f in activities for a in f.root.iter("iati-activity")), None)
    holder = activity if activity is not None else org_root
    if holder is None:
        raise IatiError("iati.error.empty", file=first.name)
    reporting = holder.find("reporting-org")
    organization = (reporting.get("ref") if reporting is not None else None) or ""
    if org_root is not None:
        organization = org_root.findtext("organisation-identifier", organization).strip()
    if not organization:
        raise IatiError("iati.error.missing", file=first.name, what="reporting-org/@ref")
    settings = _settings(activities, holder)
    langs = settings.languages
    first_year, last_year = _years(activities, organisations, first.name)
    currency = holder.get("default-currency") or next(
        (v.get("currency") for f in files for v in f.root.iter("value") if v.get("currency")),
        None,
    )
    if not currency:
        raise IatiError("iati.error.missing", file=first.name, what="@default-currency")
    code = next((c for f in files if (c := f.root.get(rbm("biennium")))), None)
    code = code or f"{first_year}-{str(last_year)[-2:]}"
    label = next((f.root.find(rbm("label")) for f in activities), None)
    for file in files:
        file.use(file.root)
        for element in file.root.findall(rbm("label")) + file.root.findall(rbm("settings")):
            file.take(element)
    name = narrative_text(reporting, langs)
    if org_root is not None and org_root.find("name") is not None:
        name = narrative_text(org_root.find("name"), langs)
    return Biennium(
        code=code,
        organization=organization,
        organization_name=name or Text.plain(organization),
        label=narrative_text(label, langs) or Text.plain(code),
        start_year=first_year,
        end_year=last_year,
        currency=currency,
        settings=settings,
    )


def _settings(activities: list[_File], holder: ET.Element) -> Settings:
    for file in activities:
        found = read_settings_element(file.root.find(rbm("settings")), file.name)
        if found is not None:
            return found
    langs: dict[str, None] = {}
    default = holder.get(LANG)
    if default:
        langs[default] = None
    roots = [f.root for f in activities] or [holder]
    for root in roots:
        for narrative in root.iter("narrative"):
            lang = narrative.get(LANG)
            if lang:
                langs.setdefault(lang, None)
    return Settings(languages=tuple(langs) or ("en",))


def _years(activities: list[_File], organisations: list[_File], name: str) -> tuple[int, int]:
    """The period: the activities' planned (else actual) dates, else the budgets'."""
    starts: list[int] = []
    ends: list[int] = []
    for file in activities:
        for date in file.root.iter("activity-date"):
            year = _year(date.get("iso-date"))
            if year is not None and date.get("type") in START_TYPES:
                starts.append(year)
            elif year is not None and date.get("type") in END_TYPES:
                ends.append(year)
    if not starts or not ends:
        for file in organisations:
            for tag in ("period-start", "period-end"):
                years = [_year(e.get("iso-date")) for e in file.root.iter(tag)]
                (starts if tag == "period-start" else ends).extend(y for y in years if y)
    if not starts or not ends:
        raise IatiError("iati.error.missing", file=name, what="activity-date/@iso-date")
    return min(starts), max(max(ends), min(starts))


def _year(date: str | None) -> int | None:
    match = re.match(r"^(\d{4})-\d{2}-\d{2}", date or "")
    return int(match.group(1)) if match else None


def _date_year(element: ET.Element | None) -> int | None:
    return None if element is None else _year(element.get("iso-date"))


def _decimal(raw: str | None) -> Decimal | None:
    if raw is None:
        return None
    try:
        value = Decimal(raw.strip())
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def _order(element: ET.Element, default: int) -> int:
    """An element's `rbm:order`, or its place when it has none (or not a number)."""
    raw = element.get(rbm("order")) or ""
    return int(raw) if raw.isdigit() else default


def _json_number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral() else float(value)


class _Builder:
    """The records of a dataset, gathered file by file."""

    def __init__(self, biennium: Biennium, context: CellContext) -> None:
        self.biennium = biennium
        self.context = context
        self.langs = context.langs
        self.records: dict[str, list[Any]] = {}
        self.sectors: dict[str, Sector] = {}
        self.facts: list[BudgetFact] = []

    def full(self, element: ET.Element | None) -> Text:
        """A title in every language of the package: one another publisher left untranslated
        reads its first language (a package requires each)."""
        text = narrative_text(element, self.langs)
        return Text.of(text.as_dict(self.langs)) if text else text

    def add(self, resource: str, record: object) -> None:
        self.records.setdefault(resource, []).append(record)

    def dataset(self, files: str) -> Dataset:
        if not self.sectors:  # a package needs a sector: the reporting organization itself
            code = self.biennium.organization
            code = code if _CODE.match(code) else "org"
            name = self.biennium.organization_name
            self.sectors[code] = Sector(code, name, name, 1, False, SOURCE)
        source = Source(SOURCE, SourceKind.SECTION, Text.plain(files))
        records: dict[str, tuple[object, ...]] = {
            name: tuple(values) for name, values in self.records.items()
        }
        records["sources"] = (source,)
        records["sectors"] = tuple(self.sectors.values())
        records["budget_facts"] = tuple(self.facts)
        return Dataset.build(self.biennium, records)

    # -- the organisation file: sectors and budgets

    def organisations(self, file: _File) -> None:
        for org in file.root.findall("iati-organisation"):
            file.use(org)
            file.take(org.find("organisation-identifier"), org.find("name"))
            file.take(org.find("reporting-org"))
            for element in org.findall(rbm("record")):
                if element.get("resource") == "sectors":
                    self._sector_record(file, element)
            currency = org.get("default-currency") or self.biennium.currency
            for element in org.findall("total-budget"):
                self._total(file, element, "budget-line", BudgetPhase.APPROVED, currency)
            for element in org.findall("total-expenditure"):
                self._total(file, element, "expense-line", BudgetPhase.EXECUTED, currency)

    def _sector_record(self, file: _File, element: ET.Element) -> None:
        values, bad = read_record(element, self.context)
        for name in bad:
            file.problem(element, "bad-value", name)
        if values.get("code") and not bad:
            values["source"] = SOURCE
            self.sectors[values["code"]] = Sector(**values)
            file.take(element)

    def _total(
        self, file: _File, element: ET.Element, line_tag: str, phase: BudgetPhase, currency: str
    ) -> None:
        start, end = (_date_year(element.find(tag)) for tag in ("period-start", "period-end"))
        if start is None or end is None or start not in self.biennium.years:
            file.problem(element, "outside-period")
            return
        year = start if start == end else None
        file.use(element)
        file.take(element.find("period-start"), element.find("period-end"))
        lines: list[tuple[str, Decimal, Decimal | None]] = []
        for line in element.findall(line_tag):
            ref = line.get("ref") or ""
            amount = self._amount(file, line.find("value"), currency)
            if amount is None:
                continue
            if not _CODE.match(ref):
                file.problem(line, "unknown-sector", "ref")
                continue
            if ref not in self.sectors:
                name = narrative_text(line, self.langs) or Text.plain(ref)
                self.sectors[ref] = Sector(ref, name, name, len(self.sectors) + 1, False, SOURCE)
            adjusted = self._adjusted(file, line)
            lines.append((ref, amount, adjusted))
            file.use(line)
            file.take(line.find("value"), *line.findall("narrative"))
        total = self._amount(file, element.find("value"), currency)
        if total is not None:
            file.take(element.find("value"))
        adjusted_total = self._adjusted(file, element)
        self._facts(phase, year, total, [(ref, amount) for ref, amount, _ in lines])
        if phase == BudgetPhase.APPROVED:
            adjusted_lines = [(ref, a) for ref, _, a in lines if a is not None]
            self._facts(BudgetPhase.ADJUSTED, year, adjusted_total, adjusted_lines)

    def _facts(
        self,
        phase: BudgetPhase,
        year: int | None,
        total: Decimal | None,
        lines: list[tuple[str, Decimal]],
    ) -> None:
        """A fact per line; the total as a fact of its own only when the lines do not add
        up to it (a rollup of the lines gives it back otherwise)."""
        for ref, amount in lines:
            self.facts.append(
                BudgetFact(phase, year, ref, None, None, None, None, amount, Unit.ONE, SOURCE)
            )
        if total is not None and (not lines or sum(a for _, a in lines) != total):
            self.facts.append(
                BudgetFact(phase, year, None, None, None, None, None, total, Unit.ONE, SOURCE)
            )

    def _amount(self, file: _File, value: ET.Element | None, currency: str) -> Decimal | None:
        if value is None:
            return None
        if (value.get("currency") or currency) != self.biennium.currency:
            file.problem(value, "other-currency", "currency")
            return None
        amount = _decimal(value.text)
        if amount is None:
            file.problem(value, "not-a-number")
        return amount

    def _adjusted(self, file: _File, parent: ET.Element) -> Decimal | None:
        element = parent.find(rbm("adjusted"))
        if element is None:
            return None
        amount = _decimal(element.text)
        if amount is None:
            file.problem(element, "not-a-number")
        else:
            file.take(element)
        return amount

    # -- the activity file: the results framework and the extension's records

    def activities(self, file: _File) -> None:
        for number, activity in enumerate(file.root.findall("iati-activity"), start=1):
            self._activity(file, activity, number)
        for element in file.root.findall(rbm("record")):
            resource = element.get("resource", "")
            if resource not in RECORDS[1:]:
                continue
            values, bad = read_record(element, self.context)
            for name in bad:
                file.problem(element, "bad-value", name)
            if not bad:
                values["source"] = SOURCE
                self.add(resource, BY_NAME[resource].model(**values))
                file.take(element)

    def _activity(self, file: _File, activity: ET.Element, number: int) -> None:
        ours = activity.get(rbm("pillar"))
        code = ours or f"A{number}"
        order = _order(activity, number)
        file.use(activity)
        title = activity.find("title")
        file.take(activity.find("iati-identifier"), activity.find("reporting-org"), title)
        file.take(activity.find("activity-status"), *activity.findall("activity-date"))
        if ours:  # what rbm writes of its own, said again for IATI readers
            file.take(*activity.findall("description"), *activity.findall("participating-org"))
        self.add("pillars", Pillar(code, order, self.full(title), SOURCE))
        for index, result in enumerate(activity.findall("result"), start=1):
            self._result(file, result, code, index)

    def _result(self, file: _File, result: ET.Element, pillar: str, index: int) -> None:
        code = result.get(rbm("code")) or f"{pillar}.{index}"
        order = _order(result, len(self.records.get("results", ())) + 1)
        file.use(result)
        file.take(result.find("title"))
        title = self.full(result.find("title"))
        self.add("results", ExpectedResult(code, pillar, order, title, SOURCE))
        seen: dict[str, int] = {}
        number = 0
        for element in result.findall("indicator"):
            if element.get(rbm("placeholder")) == "true":
                file.take(element)
                continue
            ours = element.get(rbm("id"))
            if ours is None or ours not in seen:
                number += 1
            ident = ours or f"{code}-{number:02d}"
            if ident not in seen:
                seen[ident] = 0
                indicator_order = _order(element, number)
                text = self.full(element.find("title"))
                self.add("indicators", Indicator(ident, code, indicator_order, text, SOURCE))
            if ours and element.find(rbm("pie")) is None:  # rbm's indicator with no PIE yet
                file.use(element)
                file.take(element.find("title"))
                self._sectors(file, element, ident)
                continue
            seen[ident] += 1
            self._pie(file, element, ident, seen[ident])

    def _pie(self, file: _File, element: ET.Element, indicator: str, number: int) -> None:
        file.use(element)
        file.take(element.find("title"))
        extension = element.find(rbm("pie"))
        values: dict[str, Any] = {}
        if extension is not None:
            values, bad = read_record(extension, self.context)
            for name in bad:
                file.problem(extension, "bad-value", name)
            file.take(extension)
            file.take(element.find("description"))  # the segment, said for IATI readers
        values = {k: v for k, v in values.items() if k not in NATIVE and v is not None}
        percent = element.get("measure") == PERCENTAGE
        baselines = element.findall("baseline")
        baseline = baselines[0] if baselines else None
        base_value, base_text = self._measured(file, baseline)
        periods = element.findall("period")
        period = periods[0] if periods else None
        target = actual = None
        if period is not None:
            file.use(period)
            file.take(period.find("period-start"), period.find("period-end"))
            targets, actuals = period.findall("target"), period.findall("actual")
            target = targets[0] if targets else None
            actual = actuals[0] if actuals else None
        target_value, target_text = self._measured(file, target)
        actual_value, actual_text = self._measured(file, actual)
        if extension is None:
            values.update(self._foreign(element, baseline, target_value, actual_value))
            if percent:
                values["baseline_unit"] = "%" if base_value is not None else None
                values["actual_unit"] = "%" if actual_value is not None else None
        values.setdefault("id", f"{indicator}.{number}")
        values.setdefault("order", number)
        values["indicator"] = indicator
        values.update(
            baseline_text=base_text,
            baseline_value=base_value,
            target_text=target_text or Text.plain(_plain(target_value) or "-"),
            actual_text=actual_text,
            actual_value=actual_value,
            source=SOURCE,
        )
        record: dict[str, Any] = {s.name: values.get(s.name) for s in BY_NAME["pies"].fields}
        for spec in BY_NAME["pies"].fields:
            if spec.kind == "text" and record[spec.name] is None:
                record[spec.name] = Text()
            if spec.kind == "object" and record[spec.name] is None:
                record[spec.name] = {}
        self.add("pies", Pie(**record))
        self._sectors(file, element, indicator)

    def _sectors(self, file: _File, element: ET.Element, indicator: str) -> None:
        for sector in element.findall(rbm("sector")):
            self._indicator_sector(file, sector, indicator)

    def _measured(self, file: _File, element: ET.Element | None) -> tuple[Decimal | None, Text]:
        """The value and comment of a baseline, target or actual."""
        if element is None:
            return None, Text()
        file.use(element)
        file.take(element.find("comment"))
        raw = element.get("value")
        value = _decimal(raw)
        if raw not in (None, "") and value is None:
            file.problem(element, "not-a-number", "value")
        return value, narrative_text(element.find("comment"), self.langs)

    def _foreign(
        self,
        element: ET.Element,
        baseline: ET.Element | None,
        target: Decimal | None,
        actual: Decimal | None,
    ) -> dict[str, Any]:
        """What another publisher's indicator says of the target's shape and the periods."""
        values: dict[str, Any] = {}
        if baseline is not None and baseline.get("year"):
            values["baseline_period"] = baseline.get("year")
        if element.get("measure") == QUALITATIVE:
            values["target_kind"] = TargetKind.MILESTONE
        elif element.get("ascending") == "false":
            values["target_kind"] = TargetKind.AT_MOST
        else:
            values["target_kind"] = TargetKind.AT_LEAST
        if target is not None and values["target_kind"] != TargetKind.MILESTONE:
            values["target_params"] = {"threshold": _json_number(target)}
        elif values["target_kind"] != TargetKind.MILESTONE:
            values["target_kind"] = TargetKind.MILESTONE  # no number to reach: a judgement
        end = _date_year(element.find("period/period-end"))
        if actual is not None and end is not None:
            values["actual_period"] = str(end)
        return values

    def _indicator_sector(self, file: _File, element: ET.Element, indicator: str) -> None:
        code = element.get("code") or ""
        if code not in self.sectors:
            file.problem(element, "unknown-sector", "code")
            return
        file.take(element)
        link = IndicatorSector(indicator, code, SOURCE)
        if link not in self.records.get("indicator_sectors", ()):
            self.add("indicator_sectors", link)


def _plain(value: Decimal | None) -> str:
    return "" if value is None else format(value, "f")


def describe(left_out: Iterable[LeftOut]) -> list[dict[str, str]]:
    """The left-out elements as plain rows (file, path, reason) for JSON output."""
    return [{"file": i.file, "path": i.path, "reason": i.reason} for i in left_out]
