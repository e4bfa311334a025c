"""Experts as the marketplace shows them: profiles, areas of expertise, availability, bookable slots
and the public directory."""
