"""Review rules about cost."""
