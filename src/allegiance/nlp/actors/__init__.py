"""nlp.actors."""
