"""Plain domain objects: frozen dataclasses and enums, no I/O."""
