"""The studio in the browser: FastAPI routes, htmx fragments and server-sent events."""
