"""Input and output: reading workbooks safely, the database schema, seeding and queries."""
