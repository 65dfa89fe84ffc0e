"""The language stage: the spaCy model, cleaning, dates, and the two passes over each parse:
actors (who is named) and events (who did what to whom). Knows nothing of corpora, camps,
servers or commands."""
