"""Bulk reads and writes through the database cursor, for the imports' hot paths.

One statement per chunk of rows (``executemany``), parameters as the database takes
them, no model instances: the ORM would build and convert an object per row, which at
100,000 rows costs far more than the database itself. Table and column names come
from the models' ``_meta``, so the SQL is the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import Model

CHUNK = 2000


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def _column(model: type[Model], name: str) -> str:
    return _quote(model._meta.get_field(name).column)


def select(model: type[Model], names: list[str]) -> list[tuple]:
    """Raw rows of ``names`` from the whole table."""
    sql = f"SELECT {', '.join(_column(model, n) for n in names)} FROM {_quote(model._meta.db_table)}"
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchall()


def select_range(
    model: type[Model], names: list[str], *, key: str, first: int, last: int, where: dict
) -> list[tuple]:
    """Raw rows of ``names`` whose ``key`` lies in [first, last] and whose ``where`` columns
    equal their values. The ``where`` columns are written ``+column`` so that neither
    SQLite nor PostgreSQL searches by them (a year's index would scan the whole year for
    every chunk) but by ``key``'s index, the one that narrows the rows to the chunk."""
    conditions = [f"+{_column(model, name)} = %s" for name in where]
    conditions.append(f"{_column(model, key)} BETWEEN %s AND %s")
    sql = (
        f"SELECT {', '.join(_column(model, n) for n in names)} FROM {_quote(model._meta.db_table)} "
        f"WHERE {' AND '.join(conditions)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*where.values(), first, last])
        return cursor.fetchall()


def insert(model: type[Model], names: list[str], rows: list[tuple]) -> None:
    """Insert ``rows``: PostgreSQL's COPY (psycopg 3's ``cursor.copy``), else ``executemany`` by chunk."""
    if connection.vendor == "postgresql":
        columns = ", ".join(_column(model, n) for n in names)
        statement = f"COPY {_quote(model._meta.db_table)} ({columns}) FROM STDIN"
        with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(row)
        return
    sql = (
        f"INSERT INTO {_quote(model._meta.db_table)} ({', '.join(_column(model, n) for n in names)}) "
        f"VALUES ({', '.join(['%s'] * len(names))})"
    )
    with connection.cursor() as cursor:
        for start in range(0, len(rows), CHUNK):
            cursor.executemany(sql, rows[start : start + CHUNK])


def update(model: type[Model], names: list[str], rows: list[tuple], *, keep_empty: bool = False) -> None:
    """``UPDATE … WHERE id =`` the last value of each row; with ``keep_empty`` a None
    leaves the stored value as it is."""
    assignments = ", ".join(
        f"{c} = COALESCE(%s, {c})" if keep_empty else f"{c} = %s" for c in (_column(model, n) for n in names)
    )
    sql = f"UPDATE {_quote(model._meta.db_table)} SET {assignments} WHERE {_quote('id')} = %s"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), CHUNK):
            cursor.executemany(sql, rows[start : start + CHUNK])
