"""Orchestration shared by the web studio and the CLI: load, generate, write."""
