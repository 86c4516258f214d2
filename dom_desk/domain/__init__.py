"""The domain API: everything the window can do to a workbook, without a window."""
