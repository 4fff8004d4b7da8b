"""Review rules about structure."""
