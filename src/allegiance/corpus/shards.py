"""Shards: a coded partition as one Parquet file, written by a cluster worker, loaded by the
client into the store.

One row per input of the partition, in input order: the input key, what the pipeline made of
it (a ``Rejected``, or an ``ArticleResult``'s article, mentions and events as nested columns)
and the article's MinHash. The Parquet schema is derived from the record dataclasses' type
hints, so a field added to a record travels in the shards without a change here, and the
records come back equal to what went in: the store gets from a shard what it gets from a
local run. The same typed columns make the shards a data lake of their own (DuckDB:
``SELECT e.type, e.source.actor.code FROM (SELECT unnest(events) AS e FROM
read_parquet('shards/*.parquet'))``).

Needs pyarrow (the ``dask`` extra); only the cluster path imports this module.
"""

from __future__ import annotations

import dataclasses
import functools
import types
import typing
from collections.abc import Sequence
from datetime import date
from typing import IO, Any

import pyarrow as pa
import pyarrow.parquet as pq

from ..records import Actor, ArticleResult, Rejected

Coded = tuple[str, ArticleResult | Rejected, bytes | None]

_SCALARS: dict[Any, pa.DataType] = {
    str: pa.string(),
    int: pa.int64(),
    float: pa.float64(),
    bool: pa.bool_(),
    date: pa.date32(),
    bytes: pa.binary(),
}
# Properties written beside a record's fields for queries on the shards, and left out when
# the record is rebuilt (they are derived from the fields).
_DERIVED: dict[type, dict[str, pa.DataType]] = {Actor: {"code": pa.string()}}


# The schema, from the records' type hints ----------------------------------------------------
def _arrow_type(hint: Any) -> pa.DataType:
    inner = _optional(hint)
    if inner is not None:
        return _arrow_type(inner)
    if typing.get_origin(hint) is tuple:
        return pa.list_(_arrow_type(typing.get_args(hint)[0]))
    if dataclasses.is_dataclass(hint):
        return _struct(hint)
    return _SCALARS[hint]


def _optional(hint: Any) -> Any:
    """X of ``X | None``, else None."""
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return None


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


@functools.cache
def _struct(cls: type) -> pa.StructType:
    hints = _hints(cls)
    fields = [(f.name, _arrow_type(hints[f.name])) for f in dataclasses.fields(cls)]
    return pa.struct(fields + list(_DERIVED.get(cls, {}).items()))


@functools.cache
def schema() -> pa.Schema:
    """The columns of a shard: position, input, rejected, the ArticleResult's fields, minhash."""
    result = _hints(ArticleResult)
    return pa.schema(
        [
            ("position", pa.int64()),
            ("input", pa.string()),
            ("rejected", _struct(Rejected)),
            *[(f.name, _arrow_type(result[f.name])) for f in dataclasses.fields(ArticleResult)],
            ("minhash", pa.binary()),
            ("content", pa.string()),  # the raw text's hash (``inputs.content``)
        ]
    )


# Records to rows and back ------------------------------------------------------------------------
def _to_row(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        row = {f.name: _to_row(getattr(value, f.name)) for f in dataclasses.fields(value)}
        row.update({name: getattr(value, name) for name in _DERIVED.get(type(value), {})})
        return row
    if isinstance(value, tuple):
        return [_to_row(v) for v in value]
    return value


def _from_row(hint: Any, value: Any) -> Any:
    if value is None:
        return None
    inner = _optional(hint)
    if inner is not None:
        return _from_row(inner, value)
    if typing.get_origin(hint) is tuple:
        item = typing.get_args(hint)[0]
        return tuple(_from_row(item, v) for v in value)
    if dataclasses.is_dataclass(hint):
        hints = _hints(hint)
        return hint(
            **{f.name: _from_row(hints[f.name], value[f.name]) for f in dataclasses.fields(hint)}
        )
    return value


def to_table(items: Sequence[Coded], contents: Sequence[str | None] | None = None) -> pa.Table:
    """The Parquet table of a partition's coded items, in their order, with the hash of each
    input's raw text where it had one."""
    rows = []
    hashes = contents if contents is not None else [None] * len(items)
    for n, ((key, result, signature), content) in enumerate(zip(items, hashes, strict=True)):
        row: dict[str, Any] = {
            "position": n,
            "input": key,
            "minhash": signature,
            "content": content,
        }
        if isinstance(result, Rejected):
            row["rejected"] = _to_row(result)
        else:
            row.update(_to_row(result))
        rows.append(row)
    return pa.Table.from_pylist(rows, schema=schema())


def write(
    items: Sequence[Coded], fh: IO[bytes], contents: Sequence[str | None] | None = None
) -> None:
    """Write a partition's coded items (and their raw texts' hashes) as Parquet to an open
    binary file."""
    pq.write_table(to_table(items, contents), fh, compression="zstd")


def read(fh: IO[bytes]) -> list[Coded]:
    """A shard's coded items, in input order, as the records the worker wrote."""
    return read_with_contents(fh)[0]


def read_with_contents(fh: IO[bytes]) -> tuple[list[Coded], list[str | None]]:
    """A shard's coded items and the hash of each one's raw text, in input order."""
    table = pq.read_table(fh, schema=schema())
    rows = sorted(table.to_pylist(), key=lambda r: r["position"])
    return [(r["input"], _result(r), r["minhash"]) for r in rows], [r["content"] for r in rows]


def rows_in(fh: IO[bytes]) -> int:
    """How many items a shard holds, from its footer (raises if the file is not whole)."""
    return int(pq.read_metadata(fh).num_rows)


def _result(row: dict[str, Any]) -> ArticleResult | Rejected:
    if row["rejected"] is not None:
        return typing.cast(Rejected, _from_row(Rejected, row["rejected"]))
    return typing.cast(ArticleResult, _from_row(ArticleResult, row))
