"""Review rules about workflows."""
