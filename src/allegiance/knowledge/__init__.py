"""What allegiance knows before it reads: the knowledge base of actors, the places, the event
lexicon with the PLOVER table, and the sector taxonomy. Reads package data; imports no stage."""
