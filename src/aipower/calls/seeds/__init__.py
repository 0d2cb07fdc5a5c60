"""Seed data of each programme year, one plain data module per year (``year115`` …).

A module holds only data (dicts, lists, dates); ``aipower.calls.seed`` writes it to the database.
"""
