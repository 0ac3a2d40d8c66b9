"""Pure computations over domain objects: no database, no files, no clock."""
