"""Fewer statements per use case: `@one_transaction()` and `insert_unless_exists(obj)`.

`@one_transaction()`: the steps of one use case share its transaction without a savepoint each.

A service decorated with it opens a transaction (or, inside someone else's atomic block, a savepoint) like
`transaction.atomic`; a service decorated with it that runs inside another one joins that block instead: no
SAVEPOINT/RELEASE pair per step. An error in a step still undoes the whole use case. Keep `transaction.atomic()`
where a failure is caught and the work goes on (a number clash drawn again, a sold-out line handled at capture).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import IntegrityError, connections, models, router, transaction

_DEPTH = "tradeloop_one_transaction_depth"


@contextmanager
def one_transaction() -> Iterator[None]:
    connection = transaction.get_connection()
    depth = getattr(connection, _DEPTH, 0)
    joined = depth > 0 and connection.in_atomic_block
    setattr(connection, _DEPTH, depth + 1)
    try:
        with transaction.atomic(savepoint=not joined):
            yield
    finally:
        setattr(connection, _DEPTH, depth)


def insert_unless_exists(obj: models.Model) -> bool:
    """Insert `obj` unless a unique constraint already holds a row like it: True (obj.pk set) when it is new.
    One `INSERT … ON CONFLICT DO NOTHING`, so no savepoint is needed to survive the clash (no signals are sent)."""
    connection = connections[router.db_for_write(type(obj))]
    if not connection.features.can_return_columns_from_insert:  # SQLite before 3.35
        try:
            with transaction.atomic(using=connection.alias):
                obj.save(force_insert=True, using=connection.alias)
        except IntegrityError:
            return False
        return True
    meta, quote = obj._meta, connection.ops.quote_name
    fields = [f for f in meta.concrete_fields if not (f.primary_key and getattr(obj, f.attname) is None)]
    values = [f.get_db_prep_save(f.pre_save(obj, add=True), connection) for f in fields]
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))}) ON CONFLICT DO NOTHING RETURNING {quote(meta.pk.column)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        row = cursor.fetchone()
    if row is None:
        return False
    obj.pk = row[0]
    obj._state.adding, obj._state.db = False, connection.alias
    return True
