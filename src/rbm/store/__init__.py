"""The store: SQLAlchemy tables built from the package's resources, migrations, load and read."""
