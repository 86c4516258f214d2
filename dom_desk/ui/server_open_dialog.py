"""File ▸ Open Server Workbook: the server's address, the region and the user.

The answer is a ``postgresql://`` URL without a password (the server asks for one if it
needs it, and the window prompts then, once). The address may be typed as
``host[:port]/database`` or pasted whole as a URL, in which case its user and region
fill the other fields.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from dom_desk.domain.region import REGIONS
from dom_desk.errors import DomDeskError
from dom_desk.storage.server_address import is_server_url, parse_address, region_slug


def compose_url(server: str, region: str, user: str) -> str:
    """The URL the fields make, ``postgresql://user@host:port/db?region=slug``, without
    any password; a server typed as a whole URL keeps its own user and region unless the
    fields name others. WorkbookError, in words, for an address DOM Desk cannot read."""
    server = server.strip()
    if not is_server_url(server):
        server = "postgresql://" + server.lstrip("/")
    address = parse_address(server)
    user = user.strip() or address.url.username or ""
    region = region or address.region or ""
    named = f"{user}@" if user else ""
    query = f"?region={region_slug(region)}" if region else ""
    return f"postgresql://{named}{address.host}/{address.database}{query}"


class ServerOpenDialog(QDialog):
    """Asks where the region is; ``answer()`` gives its URL and whether read-only."""

    def __init__(self, last: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Open Server Workbook"))
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 70)
        form = QFormLayout(self)
        intro = QLabel(
            self.tr(
                "A region on your team's DOM Desk server is shared: everyone on the team "
                "edits it at once, and each change is saved there as it is made."
            )
        )
        intro.setWordWrap(True)
        form.addRow(intro)
        self.server = QLineEdit()
        self.server.setAccessibleName(self.tr("Server address"))
        self.server.setPlaceholderText(self.tr("host:port/database, for example hq-db/domdesk"))
        form.addRow(self.tr("&Server:"), self.server)
        self.region = QComboBox()
        self.region.addItems(REGIONS)
        self.region.setAccessibleName(self.tr("Region"))
        form.addRow(self.tr("&Region:"), self.region)
        self.user = QLineEdit()
        self.user.setAccessibleName(self.tr("User name on the server"))
        self.user.setPlaceholderText(self.tr("your user name on the server"))
        form.addRow(self.tr("&User:"), self.user)
        self.read_only = QCheckBox(self.tr("Open read-&only"))
        form.addRow(self.read_only)
        note = QLabel(
            self.tr(
                "DOM Desk asks for your password when the server needs one, and never keeps "
                "it; a password in your PostgreSQL .pgpass file is used without asking."
            )
        )
        note.setWordWrap(True)
        note.setEnabled(False)
        form.addRow(note)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setAccessibleName(self.tr("Problem"))
        form.addRow(self.problem)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("&Open"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.server.editingFinished.connect(self._split_pasted_url)
        if last:
            self.server.setText(last)
            self._split_pasted_url()

    def _split_pasted_url(self) -> None:
        """A whole URL typed or pasted in the address: its user and region fill their
        fields and the address keeps only host and database."""
        text = self.server.text().strip()
        if not is_server_url(text):
            return
        try:
            address = parse_address(text)
        except DomDeskError:
            return  # said when OK is pressed
        self.server.setText(f"{address.host}/{address.database}")
        if address.url.username:
            self.user.setText(address.url.username)
        if address.region:
            wanted = region_slug(address.region)
            for number, name in enumerate(REGIONS):
                if region_slug(name) == wanted:
                    self.region.setCurrentIndex(number)

    def answer(self) -> tuple[str, bool]:
        """The region's URL (no password) and whether to open it read-only."""
        url = compose_url(self.server.text(), self.region.currentText(), self.user.text())
        return url, self.read_only.isChecked()

    def accept(self) -> None:
        if not self.server.text().strip():
            self.problem.setText(self.tr("Problem: type the server's address."))
            self.server.setFocus()
            return
        try:
            self.answer()
        except DomDeskError as exc:
            self.problem.setText(self.tr("Problem: {0}").format(exc))
            self.server.setFocus()
            return
        super().accept()
