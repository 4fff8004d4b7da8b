"""The design model: what a design is, its storm file, validation and traffic flow.

Pure: no I/O beyond text in and out, no clock, no database, no web framework.
"""

from app.model.elements import Design
from app.model.errors import DesignError, Problem
from app.model.load import design_data, dump_design, load_design, parse_design, validate
from app.model.schema import storm_schema
from app.model.stormfile import FORMAT_VERSION
from app.model.validate import ValidDesign

__all__ = [
    "FORMAT_VERSION",
    "Design",
    "DesignError",
    "Problem",
    "ValidDesign",
    "design_data",
    "dump_design",
    "load_design",
    "parse_design",
    "storm_schema",
    "validate",
]
