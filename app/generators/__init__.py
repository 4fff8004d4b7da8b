"""Generators: pure functions from a validated design to artifacts, one module per artifact.

Every generator takes a ``ValidDesign`` and yields ``Artifact``s whose paths follow the one
output layout documented in the README (``model/``, ``diagrams/``, ``table/``, ``workflows/``,
``api/``, ``events/``, ``cost/``, ``review/``). No I/O, no clock: the same design gives the same
bytes.
"""
