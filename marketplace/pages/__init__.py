"""Public pages: home, about, privacy and accessibility statements, health check, language."""
