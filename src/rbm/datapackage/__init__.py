"""The on-disk data package: its resource definitions, reader, validator and writer."""
