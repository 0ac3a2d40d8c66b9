"""The web application: server-rendered pages with a JSON twin under /api for each, sessions,
roles and the self-assessment and validation workflow over the store."""
