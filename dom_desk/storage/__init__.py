"""Storage: the workbook file, its engine and sessions, backups, the editing lock and the
audit hooks every flush runs. Below the domain; no Qt."""
