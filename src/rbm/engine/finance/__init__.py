"""Finance computations: ratios, transfers and the key financial identities."""
