"""rbm: results-based management performance reporting."""

__version__ = "0.1.0"
