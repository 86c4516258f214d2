"""The three-way merge of a region's rows: base (as checked out), yours (the laptop's
file) and theirs (the server now), by record and field, refusing to guess.

Generic over the models: the tables, their keys, foreign keys (and what happens to a
child when its parent goes: ``ondelete``) and unique constraints all come from
``Base.metadata``; nothing here knows what an allocation or a risk is. Each side is
``{table name: {primary key: {column: value}}}`` read with Core, so values compare as
the columns' Python values (Decimal, date, enumeration members) on both databases.

The rules:

- A field changed on one side only takes that side's value; changed on both to the same
  value, nothing to do; changed on both to different values, a **conflict**.
- A record deleted on one side and *touched* on the other (changed, or anything under it
  by a foreign key added or changed) is a conflict; untouched, the deletion stands. A
  record deleted only because its parent was (``ON DELETE CASCADE``) follows its
  parent's conflict rather than being one of its own.
- Records added offline get new server ids (``allocate``) and every foreign key in the
  rows added or changed offline is remapped to them. A record added offline that takes a
  unique key a server record holds (a provider's name, a target's measure, provider and
  year, or any key the caller adds, such as a risk's reference) is the same record when
  every other field agrees, and a conflict otherwise.

A conflict is resolved only by a choice for its key: ``"yours"`` or ``"theirs"``. Each
key ends in a short digest of theirs as it was shown (``allocation:12:amount@3fa2c1``),
so a choice made against a server value that has changed since no longer matches, and
the conflict is reported again. The choices:

- a field: yours writes your value, theirs keeps the server's;
- deleted on the server, touched offline (``…:record``): yours restores the record (and
  what was deleted with it), theirs accepts the deletion (your changes to it and your
  new records under it go too, or are set to none where the foreign key says SET NULL);
- deleted offline, touched on the server (``…:record``): yours deletes it there, theirs
  keeps it (and what you deleted with it);
- a unique key taken on both sides (``risk:new14:reference``, ``new`` marking an id in
  the laptop's file): both choices take your record to be theirs, theirs keeping the
  server's fields and yours writing your fields over them; to keep both, change yours
  offline (a new reference) and check in again. For a record that existed before,
  theirs keeps the server's value of the key; yours cannot be applied.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Table

Row = dict[str, Any]
Rows = dict[str, dict[Any, Row]]

#: Columns that are the database's bookkeeping, not the record's: never compared.
VERSION_COLUMN = "row_version"

FIELD = "field"
DELETED_THEIRS = "deleted on the server"
DELETED_YOURS = "deleted offline"
UNIQUE = "taken on both sides"


@dataclass(frozen=True)
class Clash:
    """A conflict as the merge sees it; ``domain.offline`` says it in words."""

    table: str
    #: The record's primary key: the server's, or the laptop's when ``new``.
    key: Any
    new: bool
    #: A column, ``record`` for a deletion, the unique key's columns joined by ``+``.
    field: str
    kind: str
    base: Any = None
    yours: Any = None
    theirs: Any = None
    #: For a unique key: the primary key of the server record holding it.
    holder: Any = None
    #: Why a choice made could not be applied, if one was.
    note: str = ""

    @property
    def choice_key(self) -> str:
        return choice_key(self.table, self.key, self.new, self.field, self.theirs)


def choice_key(table: str, key: Any, new: bool, field_name: str, theirs: Any) -> str:
    """``table:id:field@digest``: stable while theirs stays what it was when shown."""
    ident = "-".join(str(k) for k in key) if isinstance(key, tuple) else str(key)
    digest = hashlib.sha1(_stable(theirs).encode()).hexdigest()[:6]
    return f"{table}:{'new' if new else ''}{ident}:{field_name}@{digest}"


def _stable(value: Any) -> str:
    if isinstance(value, dict):
        return "{" + ",".join(f"{k}={_stable(v)}" for k, v in sorted(value.items())) + "}"
    return repr(getattr(value, "value", value))


@dataclass
class Counts:
    added: int = 0
    changed: int = 0
    deleted: int = 0

    def __bool__(self) -> bool:
        return bool(self.added or self.changed or self.deleted)


@dataclass
class MergePlan:
    """What a check-in writes to the server, or why it cannot."""

    conflicts: list[Clash] = field(default_factory=list)
    #: Changes each side made since the base, per table.
    yours: dict[str, Counts] = field(default_factory=dict)
    theirs: dict[str, Counts] = field(default_factory=dict)
    #: Rows to insert (complete, ids given), per table, parents first.
    inserts: dict[str, list[Row]] = field(default_factory=dict)
    #: (primary key, {column: value}) to update, per table.
    updates: dict[str, list[tuple[Any, Row]]] = field(default_factory=dict)
    #: Updates to make after the inserts (they point at rows inserted).
    late_updates: dict[str, list[tuple[Any, Row]]] = field(default_factory=dict)
    #: Primary keys to delete, per table (children are deleted first).
    deletes: dict[str, list[Any]] = field(default_factory=list)  # type: ignore[arg-type]
    #: The laptop's id of each record it added -> the id it has on the server.
    ids: dict[str, dict[Any, Any]] = field(default_factory=dict)
    #: Choices given that match no conflict now (theirs changed since it was shown).
    unused_choices: list[str] = field(default_factory=list)

    def server_id(self, table: str, laptop_id: Any) -> Any:
        return self.ids.get(table, {}).get(laptop_id, laptop_id)

    def written(self) -> Counts:
        return Counts(
            sum(len(r) for r in self.inserts.values()),
            len(
                {(t, k) for t, rows in self.updates.items() for k, _ in rows}
                | {(t, k) for t, rows in self.late_updates.items() for k, _ in rows}
            ),
            sum(len(k) for k in self.deletes.values()),
        )


@dataclass(frozen=True)
class _Shape:
    """What the merge needs to know of one table."""

    table: Table
    pk: tuple[str, ...]
    #: New records get new ids (a single integer ``id``), rather than keeping their key.
    numbered: bool
    #: (column, parent table, ondelete, nullable)
    fks: tuple[tuple[str, str, str, bool], ...]
    uniques: tuple[tuple[str, ...], ...]
    compared: tuple[str, ...]

    def key_of(self, row: Row) -> Any:
        return row[self.pk[0]] if len(self.pk) == 1 else tuple(row[c] for c in self.pk)


def _shape(table: Table, extra_unique: Iterable[tuple[str, ...]]) -> _Shape:
    pk = tuple(c.name for c in table.primary_key.columns)
    numbered = pk == ("id",) and table.c.id.type.python_type is int
    fks = tuple(
        (
            fk.parent.name,
            fk.column.table.name,
            (fk.ondelete or "NO ACTION").upper(),
            bool(fk.parent.nullable),
        )
        for fk in table.foreign_keys
    )
    uniques: list[tuple[str, ...]] = []
    for constraint in table.constraints:
        if type(constraint).__name__ == "UniqueConstraint":
            uniques.append(tuple(c.name for c in constraint.columns))
    for index in table.indexes:
        partial = any(
            (index.dialect_options[d].get("where") is not None)
            for d in ("postgresql", "sqlite")
            if d in index.dialect_options
        )
        if index.unique and not partial:  # a partial index the database checks itself
            uniques.append(tuple(c.name for c in index.columns))
    for column in table.columns:
        if column.unique and (column.name,) not in uniques:
            uniques.append((column.name,))
    uniques += [tuple(u) for u in extra_unique]
    uniques = [u for u in dict.fromkeys(uniques) if u and set(u) != set(pk)]
    compared = tuple(c.name for c in table.columns if c.name not in pk and c.name != VERSION_COLUMN)
    return _Shape(table, pk, numbered, fks, tuple(uniques), compared)


def merge(
    tables: list[Table],
    base: Rows,
    yours: Rows,
    theirs: Rows,
    allocate: Callable[[str], Any],
    choices: Mapping[str, str] | None = None,
    extra_unique: Mapping[str, Iterable[tuple[str, ...]]] | None = None,
) -> MergePlan:
    """The plan of a check-in: ``tables`` parents first (``sorted_tables``), the three
    sides' rows, ``allocate(table)`` a new server id (a placeholder when only planning)
    and the user's ``choices`` by conflict key."""
    return _Merge(tables, base, yours, theirs, allocate, choices or {}, extra_unique or {}).run()


class _Merge:
    def __init__(
        self,
        tables: list[Table],
        base: Rows,
        yours: Rows,
        theirs: Rows,
        allocate: Callable[[str], Any],
        choices: Mapping[str, str],
        extra_unique: Mapping[str, Iterable[tuple[str, ...]]],
    ) -> None:
        self.shapes = {t.name: _shape(t, extra_unique.get(t.name, ())) for t in tables}
        self.order = [t.name for t in tables]
        self.base = {t: base.get(t, {}) for t in self.order}
        self.yours = {t: yours.get(t, {}) for t in self.order}
        self.theirs = {t: theirs.get(t, {}) for t in self.order}
        self.allocate = allocate
        self.choices = dict(choices)
        self.used: set[str] = set()
        self.plan = MergePlan()
        self.plan.deletes = {}
        #: Records that will exist on the server after the check-in, per table (keys).
        self.final: dict[str, set[Any]] = {}
        #: Rows of the server after the check-in (for unique keys), per table.
        self.final_rows: dict[str, dict[Any, Row]] = {}
        #: Records deleted on the server whose deletion is accepted / records restored.
        self.gone: dict[str, set[Any]] = {t: set() for t in self.order}
        self.restored: dict[str, set[Any]] = {t: set() for t in self.order}
        self.kept: dict[str, set[Any]] = {t: set() for t in self.order}

    def _sig(self, side: str, name: str) -> dict[Any, tuple]:
        """Each row's compared values as one tuple, for quick comparison."""
        cache = self.__dict__.setdefault("_sigs", {})
        found = cache.get((side, name))
        if found is None:
            columns = self.shapes[name].compared
            rows = getattr(self, side)[name]
            found = {k: tuple(r.get(c) for c in columns) for k, r in rows.items()}
            cache[(side, name)] = found
        return found

    def _changed(self, side: str, name: str) -> set[Any]:
        """Records both in the base and on ``side`` whose fields differ."""
        cache = self.__dict__.setdefault("_changed_sets", {})
        found = cache.get((side, name))
        if found is None:
            mine, base = self._sig(side, name), self._sig("base", name)
            found = {k for k in mine.keys() & base.keys() if mine[k] != base[k]}
            cache[(side, name)] = found
        return found

    # -- choices ------------------------------------------------------------------------

    def _choice(self, clash: Clash) -> str | None:
        key = clash.choice_key
        choice = self.choices.get(key)
        if choice in ("yours", "theirs"):
            self.used.add(key)
            return choice
        return None

    def _conflict(self, clash: Clash) -> None:
        self.plan.conflicts.append(clash)

    # -- the sides' changes ---------------------------------------------------------------

    def _is_new(self, table: str, key: Any) -> bool:
        return key not in self.base[table]

    def _count_sides(self) -> None:
        for name in self.order:
            b = self.base[name]
            for side in ("yours", "theirs"):
                rows = getattr(self, side)[name]
                counts = Counts(
                    added=len(rows.keys() - b.keys()),
                    changed=len(self._changed(side, name)),
                    deleted=len(b.keys() - rows.keys()),
                )
                if counts:
                    getattr(self.plan, side)[name] = counts

    def _touched(self, side_name: str) -> set[tuple[str, Any]]:
        """Records a side changed or added, and every record above them by a foreign key
        (a parent whose child was changed was touched)."""
        side: Rows = getattr(self, side_name)
        touched: set[tuple[str, Any]] = set()
        work: list[tuple[str, Any]] = []
        for name in self.order:
            b = self.base[name]
            changed = self._changed(side_name, name)
            for key in side[name]:
                if key not in b or key in changed:
                    touched.add((name, key))
                    work.append((name, key))
        while work:
            name, key = work.pop()
            row = side[name].get(key)
            if row is None:
                continue
            for column, parent, _ondelete, _nullable in self.shapes[name].fks:
                value = row.get(column)
                if value is not None and (parent, value) not in touched:
                    touched.add((parent, value))
                    work.append((parent, value))
        return touched

    def _cascade_parent(self, name: str, row: Row, gone: Mapping[str, set[Any]]) -> Any:
        """The parent this record was deleted with, if any: (table, key)."""
        for column, parent, ondelete, _nullable in self.shapes[name].fks:
            value = row.get(column)
            if (
                ondelete == "CASCADE"
                and value is not None
                and value in gone.get(parent, ())
                and (parent, value) != (name, self.shapes[name].key_of(row))
            ):
                return parent, value
        return None

    def _deletions(self) -> None:
        """Records deleted on one side: accepted, conflicting, or resolved by choice."""
        touched_yours = self._touched("yours")
        touched_theirs = self._touched("theirs")
        on_server = {n: self.base[n].keys() - self.theirs[n].keys() for n in self.order}
        offline = {n: self.base[n].keys() - self.yours[n].keys() for n in self.order}
        # Deleted on the server, still in the laptop's file.
        for deleted, here, touched, kind in (
            (on_server, self.yours, touched_yours, DELETED_THEIRS),
            (offline, self.theirs, touched_theirs, DELETED_YOURS),
        ):
            decided: dict[tuple[str, Any], str] = {}
            for name in self.order:
                for key in sorted(deleted[name], key=_sortable):
                    if key not in here[name]:
                        continue  # deleted on both sides
                    row = self.base[name][key]
                    parent = self._cascade_parent(name, row, deleted)
                    if parent is not None and parent in decided:
                        decided[(name, key)] = decided[parent]
                        continue
                    if (name, key) not in touched:
                        decided[(name, key)] = "deletion"
                        continue
                    clash = Clash(
                        name,
                        key,
                        False,
                        "record",
                        kind,
                        base=_shown_row(self.base[name][key]),
                        yours=_shown_row(self.yours[name].get(key)),
                        theirs=_shown_row(self.theirs[name].get(key)),
                    )
                    choice = self._choice(clash)
                    if choice is None:
                        self._conflict(clash)
                        decided[(name, key)] = "conflict"
                    elif kind == DELETED_THEIRS:
                        decided[(name, key)] = "deletion" if choice == "theirs" else "keep"
                    else:
                        decided[(name, key)] = "deletion" if choice == "yours" else "keep"
            for (name, key), decision in decided.items():
                if kind == DELETED_THEIRS:
                    if decision == "keep":
                        self.restored[name].add(key)
                    else:
                        self.gone[name].add(key)
                elif decision == "deletion":
                    self.plan.deletes.setdefault(name, []).append(key)
                else:
                    self.kept[name].add(key)

    # -- one table at a time, parents first -----------------------------------------------

    def run(self) -> MergePlan:
        self._count_sides()
        self._deletions()
        for name in self.order:
            self._table(name)
        self.plan.unused_choices = [k for k in self.choices if k not in self.used]
        # Deleted children first.
        self.plan.deletes = {
            n: self.plan.deletes[n] for n in reversed(self.order) if self.plan.deletes.get(n)
        }
        return self.plan

    def _exists(self, table: str, key: Any) -> bool:
        return key in self.final.get(table, ())

    def _mapped(self, name: str, row: Row) -> Row | None:
        """A laptop row with its foreign keys in the server's ids; None if it cannot be
        kept (its parent is gone and the key may not be none). A key pointing at a record
        of the same table added offline is ``("new", laptop id)`` until that has its id."""
        mapped = dict(row)
        for column, parent, ondelete, nullable in self.shapes[name].fks:
            value = row.get(column)
            if value is None:
                continue
            if self._is_new(parent, value):
                if parent == name:
                    server = self.plan.ids.get(name, {}).get(value)
                    mapped[column] = ("new", value) if server is None else server
                    continue
                server = self.plan.ids.get(parent, {}).get(value)
            else:
                server = value if (parent == name or self._exists(parent, value)) else None
            if server is None:  # its parent is gone from the server (or was never added)
                if nullable and ondelete == "SET NULL":
                    mapped[column] = None
                    continue
                return None
            mapped[column] = server
        return mapped

    @property
    def _inserted(self) -> dict[str, set[Any]]:
        return self.__dict__.setdefault("_inserted_keys", {})

    def _table(self, name: str) -> None:
        shape = self.shapes[name]
        b, y, t = self.base[name], self.yours[name], self.theirs[name]
        deleted = set(self.plan.deletes.get(name, ()))
        final_rows = {k: dict(r) for k, r in t.items() if k not in deleted}
        self.final_rows[name] = final_rows
        self.final[name] = set(final_rows)
        updates: dict[Any, Row] = {}
        late: dict[Any, Row] = {}

        # Restored: deleted on the server, brought back from the laptop's file.
        for key in sorted(self.restored[name], key=_sortable):
            row = self._mapped(name, y[key])
            if row is None:
                self._conflict(
                    Clash(
                        name,
                        key,
                        False,
                        "record",
                        DELETED_THEIRS,
                        base=_shown_row(b.get(key)),
                        yours=_shown_row(y.get(key)),
                        note="it needs a record the server deleted",
                    )
                )
                continue
            self._insert(name, key, row, late)
            final_rows[key] = row

        # Kept on both sides, changed offline: field by field.
        for key in sorted(self._changed("yours", name) & t.keys(), key=_sortable):
            changes = self._fields(name, key, b[key], y[key], t[key])
            if changes:
                self._stage(name, key, changes, updates, late, final_rows)

        # Added on both sides with the same key (a table keyed by what it is).
        if not shape.numbered:
            for key in sorted((y.keys() - b.keys()) & (t.keys() - b.keys()), key=_sortable):
                changes = self._fields(name, key, {}, y[key], t[key])
                if changes:
                    self._stage(name, key, changes, updates, late, final_rows)

        self._unique_changes(name, updates, final_rows)
        self._indexes: dict[tuple[str, ...], dict[tuple, Any]] = {}

        # Added offline.
        for key in sorted(y.keys() - b.keys(), key=_sortable):
            if not shape.numbered and key in t:
                continue  # merged above
            self._added(name, key, y[key], final_rows, updates, late)

        # A new record of this table pointing at another new one of it.
        self._self_references(name, updates, late)
        if updates:
            self.plan.updates[name] = list(updates.items())
        if late:
            self.plan.late_updates[name] = list(late.items())

    def _insert(self, name: str, key: Any, row: Row, late: dict[Any, Row]) -> None:
        for column, value in list(row.items()):
            if isinstance(value, tuple) and value[:1] == ("new",):
                row[column] = None  # set once every new record of the table has its id
                late.setdefault(key, {})[column] = value
        self.plan.inserts.setdefault(name, []).append(row)
        self._inserted.setdefault(name, set()).add(key)
        self.final[name].add(key)

    def _fields(self, name: str, key: Any, b: Row, y: Row, t: Row) -> Row:
        """The fields to write for a record both sides kept."""
        shape = self.shapes[name]
        mapped = self._mapped(name, y)
        fk_columns = {f[0] for f in shape.fks}
        changes: Row = {}
        for column in shape.compared:
            bv, tv = b.get(column), t.get(column)
            if mapped is None:
                # It points at a record that is gone: keep the server's keys.
                yv = tv if column in fk_columns else y.get(column)
            else:
                yv = mapped.get(column)
            if yv in (bv, tv):  # unchanged offline, or the same change on both
                continue
            if tv == bv:
                changes[column] = yv
                continue
            clash = Clash(name, key, False, column, FIELD, base=bv, yours=yv, theirs=tv)
            choice = self._choice(clash)
            if choice is None:
                self._conflict(clash)
            elif choice == "yours":
                changes[column] = yv
        return changes

    def _stage(
        self,
        name: str,
        key: Any,
        changes: Row,
        updates: dict[Any, Row],
        late: dict[Any, Row],
        final_rows: dict[Any, Row],
    ) -> None:
        fk_columns = {f[0]: f[1] for f in self.shapes[name].fks}
        for column, value in changes.items():
            parent = fk_columns.get(column)
            pointing_new = isinstance(value, tuple) and value[:1] == ("new",)
            if pointing_new or (parent is not None and value in self._inserted.get(parent, ())):
                late.setdefault(key, {})[column] = value
            else:
                updates.setdefault(key, {})[column] = value
        final_rows.setdefault(key, {}).update(changes)

    def _index(self, name: str, columns: tuple[str, ...]) -> dict[tuple, Any]:
        index = self._indexes.get(columns)
        if index is None:
            index = {}
            for key, row in self.final_rows[name].items():
                index.setdefault(tuple(row.get(c) for c in columns), key)
            self._indexes[columns] = index
        return index

    def _holder(self, name: str, columns: tuple[str, ...], row: Row, key: Any) -> Any:
        values = tuple(row.get(c) for c in columns)
        if any(v is None for v in values):
            return None  # SQL's unique keys let nones repeat
        if key is None:
            return self._index(name, columns).get(values)
        for other, held in self.final_rows[name].items():
            if other != key and tuple(held.get(c) for c in columns) == values:
                return other
        return None

    def _unique_changes(self, name: str, updates: dict[Any, Row], final_rows: dict) -> None:
        """A record changed offline to a unique key another record holds: theirs keeps the
        server's value of the key."""
        for columns in self.shapes[name].uniques:
            for key, changes in list(updates.items()):
                if not set(columns) & changes.keys():
                    continue
                holder = self._holder(name, columns, final_rows[key], key)
                if holder is None:
                    continue
                server = self.theirs[name].get(key, {})
                clash = Clash(
                    name,
                    key,
                    False,
                    "+".join(columns),
                    UNIQUE,
                    base=tuple(self.base[name].get(key, {}).get(c) for c in columns),
                    yours=tuple(final_rows[key].get(c) for c in columns),
                    theirs=tuple(server.get(c) for c in columns),
                    holder=holder,
                )
                if self._choice(clash) == "theirs":
                    for column in columns:
                        changes.pop(column, None)
                        final_rows[key][column] = server.get(column)
                    if not changes:
                        updates.pop(key)
                else:
                    self._conflict(
                        clash
                        if clash.choice_key not in self.used
                        else Clash(**{**clash.__dict__, "note": "only theirs can be chosen"})
                    )

    def _added(
        self,
        name: str,
        key: Any,
        row: Row,
        final_rows: dict[Any, Row],
        updates: dict[Any, Row],
        late: dict[Any, Row],
    ) -> None:
        shape = self.shapes[name]
        mapped = self._mapped(name, row)
        if mapped is None:
            return  # under a record the server deleted, and its deletion accepted
        for columns in shape.uniques:
            holder = self._holder(name, columns, mapped, None)
            if holder is None:
                continue
            held = final_rows[holder]
            others = [c for c in shape.compared if c not in columns]
            differing = [c for c in others if mapped.get(c) != held.get(c)]
            if differing:
                clash = Clash(
                    name,
                    key,
                    True,
                    "+".join(columns),
                    UNIQUE,
                    yours=_shown_row(mapped),
                    theirs=_shown_row(held),
                    holder=holder,
                )
                choice = self._choice(clash)
                if choice is None:
                    self._conflict(clash)
                    return
                if choice == "yours":
                    self._stage(
                        name,
                        holder,
                        {c: mapped.get(c) for c in differing},
                        updates,
                        late,
                        final_rows,
                    )
            # The same record: the laptop's id is the server's from now on.
            self.plan.ids.setdefault(name, {})[key] = holder
            return
        server_key = self.allocate(name) if shape.numbered else key
        if shape.numbered:
            mapped["id"] = server_key
            self.plan.ids.setdefault(name, {})[key] = server_key
        self._insert(name, server_key, mapped, late)
        final_rows[server_key] = mapped
        for columns in shape.uniques:
            values = tuple(mapped.get(c) for c in columns)
            if all(v is not None for v in values):
                self._index(name, columns).setdefault(values, server_key)

    def _self_references(self, name: str, updates: dict[Any, Row], late: dict[Any, Row]) -> None:
        ids = self.plan.ids.get(name, {})
        for key, columns in list(late.items()):
            for column, value in list(columns.items()):
                if isinstance(value, tuple) and value[:1] == ("new",):
                    target = ids.get(value[1])
                    if target is None:  # the record it pointed at was not added
                        del columns[column]
                    else:
                        columns[column] = target
            if not columns:
                del late[key]


def _nullable(shape: _Shape, column: str) -> bool:
    return any(f[0] == column and f[3] for f in shape.fks)


def _sortable(key: Any) -> tuple:
    return (0, key) if isinstance(key, int) else (1, str(key))


def _shown_row(row: Row | None) -> Row | None:
    return None if row is None else {k: v for k, v in row.items() if k != VERSION_COLUMN}
