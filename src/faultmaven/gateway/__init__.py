"""The HTTP surface: FastAPI app, routes, auth and streaming; no domain logic."""
