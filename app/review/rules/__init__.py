"""Review rules, one per module, in one package per topic (discovered by the engine)."""
