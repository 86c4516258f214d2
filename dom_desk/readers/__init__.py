"""Readers: spreadsheets and files read into plain values, below the domain (no database, no Qt)."""
