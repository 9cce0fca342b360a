"""detail views of the projects app."""
