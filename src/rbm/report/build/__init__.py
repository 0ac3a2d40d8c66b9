"""Building the report's view model from a dataset and the engine's results."""
