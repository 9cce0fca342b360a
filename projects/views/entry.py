"""entry views of the projects app."""
