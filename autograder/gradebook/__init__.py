"""The gradebook: students, submissions, runs and every check result, in SQLite or PostgreSQL."""
