"""Renderers of the report's view model: one module per format."""
