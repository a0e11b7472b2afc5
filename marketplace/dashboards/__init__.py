"""Dashboards for consultants and the municipality: figures, charts, tables and exports.

``figures`` asks the database (a few aggregate queries per figure, never one per newcomer),
``tables`` turns figures into the tables and charts a page shows (hiding small counts where
the municipality's view asks for it), ``exports`` writes one table as CSV or XLSX.
"""
