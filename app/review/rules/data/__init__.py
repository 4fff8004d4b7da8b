"""Review rules about data."""
