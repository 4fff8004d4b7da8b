"""Review rules about security."""
