"""One dashboard table as a CSV or XLSX file, safe to open in a spreadsheet.

CSV is written the way Dutch Excel opens it with a double click: UTF-8 with a byte order
mark, ``;`` between cells, a decimal comma, and a header row. XLSX is one sheet with a bold
header row. In both, text that a spreadsheet would read as a formula gets a leading ``'``,
and control characters that XLSX cannot hold (such as a vertical tab in a name) are left out.
"""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from marketplace.dashboards.tables import Table

#: a cell starting with one of these could run as a formula (CSV injection): it gets a quote
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_DELIMITER = ";"
FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def safe_cell(value: object) -> int | float | str:
    """A cell for a spreadsheet: numbers stay numbers, nothing becomes empty, control
    characters XLSX cannot hold are left out, and then text that starts like a formula gets
    a leading ``'`` so that it stays text."""
    if value is None:
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    text = ILLEGAL_CHARACTERS_RE.sub("", str(value))
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _rows(table: Table) -> list[list[int | float | str]]:
    header = [safe_cell(column.header) for column in table.columns]
    return [header, *([safe_cell(value) for value in row] for row in table.rows)]


def _csv_value(value: int | float | str) -> str:
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", ",")  # the decimal comma Dutch Excel expects
    return str(value)


def to_csv(table: Table) -> bytes:
    """The table as CSV for Dutch Excel: UTF-8 with BOM, ``;``, decimal comma, header row."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=CSV_DELIMITER, lineterminator="\r\n")
    writer.writerows([_csv_value(v) for v in row] for row in _rows(table))
    return out.getvalue().encode("utf-8-sig")


def to_xlsx(table: Table) -> bytes:
    """The table as an XLSX workbook with one sheet and a bold header row."""
    book = Workbook()
    sheet = book.active
    sheet.title = table.name[:31]  # the longest sheet name Excel allows
    for row in _rows(table):
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for cells in sheet.iter_rows():
        for cell in cells:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # never a formula, whatever the text looks like
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def export(table: Table, fmt: str) -> bytes:
    """The table in the format ``fmt`` (a key of FORMATS)."""
    return to_csv(table) if fmt == "csv" else to_xlsx(table)
