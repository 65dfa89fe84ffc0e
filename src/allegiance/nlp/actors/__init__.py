"""Actor resolution: knowledge-base names, entities, titles, compounds, coreference."""
