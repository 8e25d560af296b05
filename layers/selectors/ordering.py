"""Public lists in Ukrainian alphabetical order.

PostgreSQL's default collation on the portal's cluster orders by code point, which puts
Є, І, Ї (U+0404–U+0407) before А and Ґ after Я. ICU's Ukrainian collation (``uk-x-icu``,
shipped with every ICU-enabled PostgreSQL) orders А Б В Г Ґ Д Е Є Ж З И І Ї Й К …; applied
in the query (``COLLATE``), it needs no migration and no column change.
"""

from django.db.models import F
from django.db.models.functions import Collate

UKRAINIAN_COLLATION = "uk-x-icu"


def in_ukrainian_order(field: str) -> Collate:
    """An ``order_by`` term: ``field`` in Ukrainian alphabetical order."""
    return Collate(F(field), UKRAINIAN_COLLATION)
