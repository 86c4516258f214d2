"""The window: views, table models, dialogs and undo commands over the domain API.

Nothing here builds SQL or imports SQLAlchemy; every read and write goes through
``dom_desk.storage.workbook`` and ``dom_desk.domain``.
"""
