"""browse views of the projects app."""
