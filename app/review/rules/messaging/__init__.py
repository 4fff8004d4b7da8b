"""Review rules about messaging."""
