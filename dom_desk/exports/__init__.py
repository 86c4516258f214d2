"""Exports: the workbook written out as Excel sheets and calendars. No Qt here."""
