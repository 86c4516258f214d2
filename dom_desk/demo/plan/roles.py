"""Who owns what in the demo: roles, never people."""

from __future__ import annotations

DOM = "Director of Offender Management"
COMMISSIONING = "Head of Commissioning (region)"
PERFORMANCE = "Regional performance manager"
CONTRACTS = "Regional contracts manager"
COMPETITIONS = "Regional competitions lead"
PARTNERSHIPS = "Reducing re-offending partnerships manager"
FINANCE = "Regional finance manager"
