"""LDN Companion: a journal, titration planner, safety screen and honest statistics for low-dose naltrexone."""

__version__ = "0.1.0"
