"""Files in and out: spreadsheets, PDF, calendars. No Qt here."""
