"""What each button of the Overview's first-run guide does (ui/setup_guide.py).

"add" opens the place the step is done (the area and its New… form, the framework
dialog, the envelope table, the SLA workspace's Fill targets); "import" opens the list
import for the step's kind. After an import the whole window reads the file again.
"""

from __future__ import annotations

from typing import Any

#: Steps done by a New… form in their own area.
FORM_AREAS = ("providers", "services", "agreements", "priorities")


def do_setup_step(view: Any, key: str, how: str) -> None:
    """Runs guide step ``key`` (``how`` is "add" or "import") over the workspace view."""
    window = view.window()
    if how == "import":
        _import_list(view, window, key)
    elif key == "measures":
        from dom_desk.ui.framework_dialog import import_framework_interactively

        import_framework_interactively(window)
    elif key in FORM_AREAS:
        view.show_area(key)
        view.pages[key].new_record()
    elif key == "envelope":
        view.show_area("allocations")
        tab = view.pages["allocations"].allocations
        tab.details.setCurrentWidget(tab.envelope_table)
        tab.envelope_table.setFocus()
    elif key == "targets":
        view.show_area("allocations")
        page = view.pages["allocations"]
        page.tabs.setCurrentWidget(page.sla)
        page.sla.ask_fill_targets()
    else:
        raise ValueError(f"no setup step '{key}'")
    view.pages["overview"].stale = True


def _import_list(view: Any, window: Any, key: str) -> None:
    from dom_desk.domain.lists_import import ListKind
    from dom_desk.ui.lists_import_dialog import import_list_interactively

    if import_list_interactively(window, view.workspace, ListKind(key)):
        reload = getattr(window, "reload", None)
        (reload or view.reload)()
