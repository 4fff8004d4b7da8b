"""The DynamoDB single-table planner: keys and indexes derived from the access patterns."""

from app.generators.table.files import table_files, table_resource
from app.generators.table.plan import TablePlan, plan_table
from app.generators.table.workbench import import_workbench, is_workbench_model, workbench_model

__all__ = [
    "TablePlan",
    "import_workbench",
    "is_workbench_model",
    "plan_table",
    "table_files",
    "table_resource",
    "workbench_model",
]
