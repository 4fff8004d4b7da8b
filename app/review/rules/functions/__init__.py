"""Review rules about functions."""
