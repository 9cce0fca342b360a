"""printing views of the projects app."""
