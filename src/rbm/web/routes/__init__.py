"""The application's routes, one module per area; each route declares its access rule."""
