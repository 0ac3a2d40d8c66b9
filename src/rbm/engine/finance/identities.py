"""The identities between key financial data lines (whole and by union): each line that is a
total of others, with its parts and their signs. Line codes are rbm's vocabulary for
`financial_lines`; an organization whose lines are named otherwise gets no identity checks."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Identity:
    total: str
    parts: tuple[tuple[str, int], ...]  # (line, +1 or -1)


IDENTITIES: tuple[Identity, ...] = (
    Identity(
        "direct_expenditure", (("direct_union_expenditure", 1), ("direct_admin_expenditure", 1))
    ),
    Identity(
        "indirect_expenditure",
        (("indirect_union_expenditure", 1), ("indirect_admin_expenditure", 1)),
    ),
    Identity(
        "expenditure_before_ipsas", (("personnel_expenditure", 1), ("non_personnel_expenditure", 1))
    ),
    Identity("expenditure_before_ipsas", (("direct_expenditure", 1), ("indirect_expenditure", 1))),
    Identity(
        "expenditure_after_ipsas",
        (("expenditure_before_ipsas", 1), ("ipsas_adjustment_expenditure", 1)),
    ),
    Identity("operating_result", (("income", 1), ("expenditure_after_ipsas", -1))),
    Identity(
        "reserve_projects_after_ipsas",
        (("reserve_projects", 1), ("ipsas_adjustment_reserve_projects", 1)),
    ),
    Identity(
        "special_accounts_net",
        (
            ("special_accounts_contributions_ipsas", 1),
            ("special_accounts_expenditure_ipsas", -1),
            ("special_accounts_investment_income", 1),
        ),
    ),
    Identity(
        "investment_income",
        (("investment_income_before_ipsas", 1), ("ipsas_adjustment_investment", 1)),
    ),
    Identity(
        "surplus_excl_special_accounts",
        (("operating_result", 1), ("reserve_projects_after_ipsas", -1), ("investment_income", 1)),
    ),
    Identity("surplus", (("surplus_excl_special_accounts", 1), ("special_accounts_net", 1))),
    Identity(
        "surplus",
        (
            ("operating_result", 1),
            ("reserve_projects_after_ipsas", -1),
            ("special_accounts_net", 1),
            ("investment_income", 1),
        ),
    ),
    Identity(
        "net_assets_opening", (("net_assets_opening_excl_actuarial", 1), ("actuarial_opening", 1))
    ),
    Identity(
        "net_assets_closing_excl_actuarial",
        (("net_assets_opening_excl_actuarial", 1), ("surplus", 1)),
    ),
    Identity(
        "net_assets_closing", (("net_assets_closing_excl_actuarial", 1), ("actuarial_closing", 1))
    ),
)


def evaluate(identity: Identity, lines: Mapping[str, Decimal]) -> Decimal | None:
    """The total the parts give, or None when a part is missing."""
    if any(line not in lines for line, _ in identity.parts):
        return None
    return sum((lines[line] * sign for line, sign in identity.parts), Decimal(0))
