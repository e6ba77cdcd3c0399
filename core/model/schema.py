"""The Frictionless Data Package descriptor (`data/datapackage.json`), read into plain objects.

The descriptor is the single source of truth for columns, types, allowed values and keys;
`core.ingest.validate` interprets it and nothing else defines those rules.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd

from core.settings import DESCRIPTOR


@dataclass(frozen=True)
class Field:
    """One column of a table: name, Table Schema type and constraints."""

    name: str
    type: str
    title: str
    constraints: dict[str, Any] = field(default_factory=dict)

    @property
    def required(self) -> bool:
        return bool(self.constraints.get("required"))


@dataclass(frozen=True)
class ForeignKey:
    """Columns of one table that must match a key of another table."""

    fields: tuple[str, ...]
    resource: str
    reference_fields: tuple[str, ...]


@dataclass(frozen=True)
class Resource:
    """One table of the package: its file name, fields and keys."""

    name: str
    path: str
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[ForeignKey, ...]
    optional: bool = False
    """A package may leave this table out; it then counts as empty (descriptor: x-optional)."""

    @property
    def field_names(self) -> list[str]:
        return [f.name for f in self.fields]

    def field(self, name: str) -> Field:
        """The field called `name`."""
        return next(f for f in self.fields if f.name == name)

    def empty_frame(self) -> pd.DataFrame:
        """The table with its header and no rows, as read from CSV."""
        return pd.DataFrame({name: pd.Series(dtype=str) for name in self.field_names})


STORY = "story"


@dataclass(frozen=True)
class PackageSchema:
    """All resources of the package, in descriptor order."""

    resources: tuple[Resource, ...]
    descriptor: dict[str, Any]

    @property
    def data_resources(self) -> tuple[Resource, ...]:
        """The data tables: every resource but the presenter's story."""
        return tuple(r for r in self.resources if r.name != STORY)

    def resource(self, name: str) -> Resource:
        """The resource called `name`."""
        return next(r for r in self.resources if r.name == name)

    @property
    def names(self) -> list[str]:
        return [r.name for r in self.resources]


def _as_tuple(value: str | list[str]) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else tuple(value)


def parse_descriptor(descriptor: dict[str, Any]) -> PackageSchema:
    """Build a PackageSchema from a descriptor dictionary."""
    resources = []
    for res in descriptor["resources"]:
        schema = res["schema"]
        fields = tuple(
            Field(
                name=f["name"],
                type=f.get("type", "string"),
                title=f.get("title", f["name"]),
                constraints=dict(f.get("constraints", {})),
            )
            for f in schema["fields"]
        )
        fks = tuple(
            ForeignKey(
                fields=_as_tuple(fk["fields"]),
                resource=fk["reference"]["resource"],
                reference_fields=_as_tuple(fk["reference"]["fields"]),
            )
            for fk in schema.get("foreignKeys", [])
        )
        resources.append(
            Resource(
                name=res["name"],
                path=res["path"],
                fields=fields,
                primary_key=_as_tuple(schema.get("primaryKey", [])),
                foreign_keys=fks,
                optional=bool(res.get("x-optional", False)),
            )
        )
    return PackageSchema(resources=tuple(resources), descriptor=descriptor)


@cache
def load_schema(path: Path = DESCRIPTOR) -> PackageSchema:
    """The bundled package schema (read once per process)."""
    with path.open(encoding="utf-8") as fh:
        return parse_descriptor(json.load(fh))
