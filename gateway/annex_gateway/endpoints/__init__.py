"""The REST surface: discovery, verbs, negotiation, selectors, the compiled route table."""
