"""DOM Desk: the commissioning workbook of a regional Director of Offender Management."""

__version__ = "0.1.0"
