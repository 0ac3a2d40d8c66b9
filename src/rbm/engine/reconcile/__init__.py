"""Reconciliation: recompute every published total and percentage from its parts, and
compare every marginal that two sources give. Differences are reported, never fixed."""
