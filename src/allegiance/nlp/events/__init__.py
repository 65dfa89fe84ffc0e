"""nlp.events."""
