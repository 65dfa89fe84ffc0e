"""Event extraction: constructions find triggers, arguments follow the parse, overrides
refine the type, modality/date/place complete the event; classify codes a given dyad."""
