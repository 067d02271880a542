"""The records' base: a plain frozen object holding its fields, validated by pydantic when built
by a call (as a pydantic model of the same fields, constraints and validators made for each record
class on its first use: the same checks and errors as when the records were pydantic models), and
built from rows the store checked without it (`app.storage.rows.trusted`).

Opening a project and showing it so never imports pydantic: imported by `app.models` for the
models it was ~8 MB of the window's peak memory (10,000 documents and the 1 MB article open:
117.9 -> 109.8 MB). Nor does a record whose values have exactly their fields' types, if its class
has no constraint or validator (a span or a link the window makes): pydantic would keep them as
they are, so they are kept here without it.
"""

from __future__ import annotations

import inspect
import json
import types
import typing
from collections.abc import Callable
from enum import StrEnum
from typing import Any, ClassVar, dataclass_transform


class FieldInfo:
    """What `Field(...)` declares: a default (or a factory of one) and pydantic's constraints."""

    def __init__(self, default: Any, default_factory: Callable[[], Any] | None, constraints: dict[str, Any]) -> None:
        self.default, self.default_factory, self.constraints = default, default_factory, constraints


REQUIRED: Any = ...  # a field without a default


def Field(default: Any = REQUIRED, *, default_factory: Callable[[], Any] | None = None, **constraints: Any) -> Any:
    """A field's default and constraints (`min_length`, `pattern`, ...), checked as pydantic's `Field` does."""
    return FieldInfo(default, default_factory, constraints)


class _Validator:
    def __init__(self, fields: tuple[str, ...], method: Any) -> None:
        self.fields, self.method = fields, method


def field_validator(*fields: str) -> Callable[[Any], Any]:
    """A classmethod checking (and cleaning) these fields after their types, as pydantic's does."""
    return lambda method: _Validator(fields, method)


@dataclass_transform(kw_only_default=True, frozen_default=True, field_specifiers=(Field,))
class Record:
    """A frozen record; `model_fields`, `model_dump`, `model_copy`, ... as pydantic's models have them."""

    model_fields: ClassVar[dict[str, Any]] = {}  # field name -> its default (REQUIRED, a FieldInfo or a value)
    _validators: ClassVar[dict[str, tuple[str, ...]]] = {}  # classmethod name -> the fields it checks

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        fields, validators = dict(cls.model_fields), dict(cls._validators)
        for name, annotation in inspect.get_annotations(cls).items():
            if not str(annotation).startswith(("ClassVar", "typing.ClassVar")):
                fields[name] = cls.__dict__.get(name, REQUIRED)
        for name, value in list(cls.__dict__.items()):
            if isinstance(value, _Validator):
                validators[name] = value.fields
                setattr(cls, name, value.method)
        cls.model_fields, cls._validators = fields, validators

    def __init__(self, **fields: Any) -> None:
        object.__setattr__(self, "__dict__", _validated(type(self), fields))

    def __setattr__(self, name: str, value: Any) -> None:
        raise TypeError(f"{type(self).__name__} is frozen: make another (model_copy)")

    def __delattr__(self, name: str) -> None:
        raise TypeError(f"{type(self).__name__} is frozen")

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self.__dict__ == other.__dict__

    def __hash__(self) -> int:
        return hash((type(self), *self.__dict__.values()))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{k}={v!r}' for k, v in self.__dict__.items())})"

    @classmethod
    def model_validate(cls, values: dict[str, Any]) -> typing.Self:
        return cls(**values)

    def model_copy(self, *, update: dict[str, Any] | None = None) -> typing.Self:
        """A copy with some fields replaced, not validated again (as pydantic's)."""
        made = object.__new__(type(self))
        object.__setattr__(made, "__dict__", self.__dict__ | (update or {}))
        return made

    def model_dump(self, *, exclude: set[str] | None = None) -> dict[str, Any]:
        """The fields as a dict, records within as dicts too."""
        return {k: _dumped(v) for k, v in self.__dict__.items() if not exclude or k not in exclude}

    def model_dump_json(self, *, indent: int | None = None) -> str:
        separators = (",", ":") if indent is None else None  # compact, as pydantic writes it
        return json.dumps(self.model_dump(), indent=indent, separators=separators, ensure_ascii=False)


def _dumped(value: Any) -> Any:
    if isinstance(value, Record):
        return value.model_dump()
    if isinstance(value, tuple | list):
        return type(value)(map(_dumped, value))
    if isinstance(value, dict):
        return {k: _dumped(v) for k, v in value.items()}
    return value


# ---- validation: a pydantic model per record class, made when first needed -------------
_TWINS: dict[type[Record], Any] = {}  # record class -> its pydantic model
_RECORDS: dict[Any, type[Record]] = {}  # and back


_NESTING: set[type[Record]] = set()  # record classes with a field that may hold records


def _validated(cls: type[Record], fields: dict[str, Any]) -> dict[str, Any]:
    """The fields of a record of `cls`, as its pydantic model checks and converts them."""
    exact = _exactly_typed(cls, fields)
    if exact is not None:
        return exact
    twin = _twin(cls)
    if cls not in _NESTING:  # the model's own dict of fields, in order (it is not kept)
        return twin(**fields).__dict__  # type: ignore[no-any-return]
    made = twin(**{k: _raw(v) for k, v in fields.items()})
    return {name: _plain(getattr(made, name)) for name in cls.model_fields}


# Per record class, each field's check of a value pydantic would keep as it is (None: the class has
# a field pydantic converts, or constraints, or validators: always validated by pydantic).
_EXACT: dict[type[Record], dict[str, Callable[[Any], bool]] | None] = {}


def _exactly_typed(cls: type[Record], fields: dict[str, Any]) -> dict[str, Any] | None:
    """The fields as pydantic would make them, if every value has exactly its field's type and the
    class has no constraint or validator; else None (pydantic decides, and words any error).
    So the window's edits (a span, a link) never load pydantic: ~9 MB at the first span tagged."""
    checks = _EXACT[cls] if cls in _EXACT else _EXACT.setdefault(cls, _exact_checks(cls))
    if checks is None or not fields.keys() <= checks.keys():
        return None
    made: dict[str, Any] = {}
    for name, default in cls.model_fields.items():
        if name in fields:
            value = fields[name]
            if not checks[name](value):
                return None
            made[name] = dict(value) if type(value) is dict else value  # pydantic copies a dict
        elif default is REQUIRED:
            return None
        else:
            made[name] = _default_of(default)
    return made


def _default_of(default: Any) -> Any:
    if not isinstance(default, FieldInfo):
        return default
    return default.default_factory() if default.default_factory is not None else default.default


def _exact_checks(cls: type[Record]) -> dict[str, Callable[[Any], bool]] | None:
    if cls._validators:
        return None
    hints = typing.get_type_hints(cls)
    checks: dict[str, Callable[[Any], bool]] = {}
    for name, default in cls.model_fields.items():
        if isinstance(default, FieldInfo) and default.constraints:
            return None
        check = _exact_check(hints[name])
        if check is None:
            return None
        checks[name] = check
    return checks


def _exact_check(annotation: Any) -> Callable[[Any], bool] | None:
    """Whether a value is one pydantic keeps unchanged for this annotation (None: no such check here)."""
    while hasattr(annotation, "__supertype__"):  # a NewType
        annotation = annotation.__supertype__
    if annotation in (int, str, bool):
        return lambda value: type(value) is annotation
    if isinstance(annotation, type) and issubclass(annotation, StrEnum):
        return lambda value: type(value) is annotation
    if annotation == dict[str, Any]:
        return lambda value: type(value) is dict and all(type(key) is str for key in value)
    args = typing.get_args(annotation)
    if typing.get_origin(annotation) in (types.UnionType, typing.Union) and len(args) == 2 and type(None) in args:
        inner = _exact_check(next(a for a in args if a is not type(None)))
        return None if inner is None else (lambda value: value is None or inner(value))
    return None


def _twin(cls: type[Record]) -> Any:
    found = _TWINS.get(cls)
    if found is not None:
        return found
    import pydantic  # here: only records built by a call validate

    hints = typing.get_type_hints(cls)
    fields: dict[str, Any] = {}
    for name, default in cls.model_fields.items():
        if isinstance(default, FieldInfo):
            options = dict(default.constraints)
            if default.default is not REQUIRED:
                options["default"] = default.default
            if default.default_factory is not None:
                options["default_factory"] = default.default_factory
            default = typing.cast(Any, pydantic.Field)(**options)
        fields[name] = (_twin_type(hints[name]), default)
        if fields[name][0] != hints[name]:
            _NESTING.add(cls)
    validators: dict[str, Any] = {
        name: pydantic.field_validator(*checked)(classmethod(getattr(cls, name).__func__))
        for name, checked in cls._validators.items()
    }
    config = pydantic.ConfigDict(frozen=True, extra="forbid")
    found = pydantic.create_model(
        cls.__name__, __config__=config, __validators__=validators, __module__=cls.__module__, **fields
    )
    _TWINS[cls], _RECORDS[found] = found, cls
    return found


def _twin_type(annotation: Any) -> Any:
    """An annotation with each record class in it replaced by its pydantic model."""
    if isinstance(annotation, type) and issubclass(annotation, Record):
        return _twin(annotation)
    args = typing.get_args(annotation)
    if not args:
        return annotation
    replaced = tuple(a if a is Ellipsis else _twin_type(a) for a in args)
    origin = typing.get_origin(annotation)
    if origin is types.UnionType or origin is typing.Union:
        return typing.Union[replaced]  # noqa: UP007  (built from a tuple)
    return origin[replaced]


def _raw(value: Any) -> Any:
    """A value as its pydantic model takes it: records as dicts of their fields."""
    if isinstance(value, Record):
        return {k: _raw(v) for k, v in value.__dict__.items()}
    if isinstance(value, tuple | list):
        return type(value)(map(_raw, value))
    return value


def _plain(value: Any) -> Any:
    """A value the pydantic model made, its models back as records."""
    record = _RECORDS.get(type(value))
    if record is not None:
        made = object.__new__(record)
        object.__setattr__(made, "__dict__", {k: _plain(getattr(value, k)) for k in record.model_fields})
        return made
    if isinstance(value, tuple | list):
        return type(value)(map(_plain, value))
    return value
