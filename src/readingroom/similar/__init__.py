"""Near-duplicates, families of one plan or form, and two releases of one record.

Three questions users ask of a production that repeats itself:

* which pages and documents are copies of each other (`minhash`, `clusters`),
* what each member of a family (24 field-office copies of one plan, one form
  filled by many facilities) added, dropped or changed against the shared
  template (`family`),
* what one release of a record withheld that another released (`compare`).

The algorithms here are pure (pages in, plain data out); the store keeps
signatures and clusters (`readingroom.store.similar`), and the CLI and web
views only arrange what these functions return.
"""

from __future__ import annotations
