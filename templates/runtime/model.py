"""The base class of generated models, and cached pydantic ``TypeAdapter``s.

Generated models accept both their Python field names and the wire names (aliases), keep
unknown fields (``extra="allow"``: a server that adds fields must not break callers), and use
Python's ``re`` for patterns (pydantic-core's Rust engine rejects lookarounds and very large
patterns). Value constraints are not carried by models; ``validation.py`` checks them.
"""

from __future__ import annotations

from typing import Any

import pydantic
from pydantic import ConfigDict

__all__ = ["BaseModel", "adapter"]


class BaseModel(pydantic.BaseModel):
    """Base of every generated model."""

    model_config = ConfigDict(
        validate_by_name=True,
        validate_by_alias=True,
        extra="allow",
        regex_engine="python-re",
        protected_namespaces=(),
        defer_build=True,  # a large API's models cost nothing until first used
    )


_ADAPTERS: dict[Any, pydantic.TypeAdapter[Any]] = {}


def adapter(tp: Any) -> pydantic.TypeAdapter[Any]:
    """Return a ``TypeAdapter`` for ``tp``, built once per type."""
    try:
        return _ADAPTERS[tp]
    except KeyError:
        built: pydantic.TypeAdapter[Any] = pydantic.TypeAdapter(tp)
        _ADAPTERS[tp] = built
        return built
    except TypeError:  # an unhashable type expression: not cached
        return pydantic.TypeAdapter(tp)
