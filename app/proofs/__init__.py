"""Proofs: independent checkers run on generated artifacts (emulators, validators, linters)."""
