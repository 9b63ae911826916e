"""Real parts for tests: the server process, an SMTP server, a database, a browser."""
