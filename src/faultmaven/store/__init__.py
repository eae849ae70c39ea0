"""The only code that speaks SQL: engine, tables, migrations and repositories."""
