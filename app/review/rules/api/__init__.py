"""Review rules about api."""
