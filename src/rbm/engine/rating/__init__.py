"""Indicator achievement and rating (Appendix A), and the risk summaries.

    methodology   the settings: rating bands, rounding, threshold basis, per-year aggregate;
                  `methodology_of` reads them from the package's settings
    marks         the package's vocabulary of published marks: what each stands for
    achievement   one formula per target kind: PIE → percent of target, or why not assessable
    assess        PIE → assessment (computed, assessor and final rating, explanation)
    totals        totals by rating, pillar, result and sector; agreement with the published
                  marks; our totals beside the published ones
    risks         materialized risks and exposure trends, by owner sector and by result
    report        all of the above for one dataset: the view model of `rbm assess`
    messages      explanations as catalogue keys with parameters (zh and en)

Every function here is pure: domain objects in, values out; nothing raises on bad data.
The package re-exports nothing: a command that names one option's choices should not pay
for importing the whole engine.
"""
