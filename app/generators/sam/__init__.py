"""The SAM repository export: template, handlers, shared layer, tests and project files.

``app.generators.sam.export.sam_files`` is the generator; ``write_export`` writes it with
re-export semantics (generated files rewritten, user-owned files never touched).
"""
