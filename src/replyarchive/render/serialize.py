"""The records as text: JSON (indented, or compact for JSON Lines) and YAML, byte for byte what
``json.dumps`` and ``store.dump_yaml`` write, only faster (data.py, database.py)."""

from __future__ import annotations

import io
import json
from typing import Any

import yaml

from replyarchive.records.model import Reply

_BASE_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
_FIRST_CHARACTERS = frozenset(_BASE_DUMPER.yaml_implicit_resolvers)
"""First characters of every plain scalar an implicit resolver may read as not a string
(None, a resolver for any first character, would turn the shortcut below off)."""
_STR_TAG = "tag:yaml.org,2002:str"
_quote = getattr(json.encoder, "c_encode_basestring", None) or json.encoder.encode_basestring
"""What json.dumps(ensure_ascii=False) writes for a string."""


class _Dumper(_BASE_DUMPER):  # type: ignore[misc, valid-type]
    """libyaml's safe dumper when present: the same text as store.dump_yaml, much faster.

    Its resolver is asked twice about every scalar whether it would read back as something
    else than a string; a string no implicit resolver can start with is answered at once."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if (kind is yaml.ScalarNode and not self.yaml_path_resolvers
                and None not in _FIRST_CHARACTERS
                and (not implicit[0] or value[:1] not in _FIRST_CHARACTERS)):
            return _STR_TAG
        return super().resolve(kind, value, implicit)


_DUMPER = _Dumper


def to_json(data: Any, *, compact: bool = False) -> str:
    """``json.dumps`` with ``ensure_ascii=False`` and ``indent=1`` (or compact), plus a newline.

    The standard library only has its C encoder for compact output; for the indented form the
    record is written here (strings by the same C function), about twice as fast as its
    pure-Python encoder and byte for byte the same."""
    if compact:
        return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"
    try:
        return _indented(data, "\n") + "\n"
    except TypeError:  # floats, non-text keys: the standard encoder knows their rules
        return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def _indented(value: Any, newline: str) -> str:
    """``value`` as json.dumps(indent=1) writes it at the depth ``newline`` is indented for."""
    if isinstance(value, str):
        return _quote(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if type(value) is int:
        return int.__repr__(value)
    inner = newline + " "
    if type(value) is list:
        if not value:
            return "[]"
        items = [_indented(item, inner) for item in value]
        return "[" + inner + ("," + inner).join(items) + newline + "]"
    if type(value) is dict:
        if not value:
            return "{}"
        if not all(type(key) is str for key in value):
            raise TypeError("JSON keys other than text")
        pairs = [_quote(k) + ": " + _indented(v, inner) for k, v in value.items()]
        return "{" + inner + ("," + inner).join(pairs) + newline + "}"
    raise TypeError(f"no plain JSON for {type(value).__name__}")


def to_yaml(reply: Reply, record: dict[str, Any] | None = None) -> str:
    """The record as store.dump_yaml writes it (block style, SCHEMA order, Chinese kept);
    ``record`` is ``reply.to_dict()`` when the caller already has it.

    The record's nodes are made here instead of by PyYAML's representer (pure Python, most of
    the time of a dump): the same nodes, serialised by the same emitter, give the same text."""
    data = reply.to_dict() if record is None else record
    try:
        node = _node(data)
    except TypeError:  # a value the representer handles differently (floats, dates): let it
        return yaml.dump(data, Dumper=_DUMPER, allow_unicode=True, sort_keys=False,
                         default_flow_style=False, width=4096)
    stream = io.StringIO()
    dumper = _DUMPER(stream, allow_unicode=True, sort_keys=False, default_flow_style=False,
                     width=4096)
    try:
        dumper.open()
        dumper.serialize(node)
        dumper.close()
    finally:
        dumper.dispose()
    return stream.getvalue()


def _node(value: Any) -> yaml.Node:
    """The node SafeRepresenter makes of ``value`` with default_flow_style=False and
    sort_keys=False (for strings, None, bools, ints, lists and dicts of them)."""
    if isinstance(value, str):
        return yaml.ScalarNode("tag:yaml.org,2002:str", value)
    if value is None:
        return yaml.ScalarNode("tag:yaml.org,2002:null", "null")
    if isinstance(value, bool):
        return yaml.ScalarNode("tag:yaml.org,2002:bool", "true" if value else "false")
    if isinstance(value, int):
        return yaml.ScalarNode("tag:yaml.org,2002:int", str(value))
    if isinstance(value, list):
        return yaml.SequenceNode("tag:yaml.org,2002:seq", [_node(v) for v in value],
                                 flow_style=False)
    if isinstance(value, dict):
        pairs = [(_node(k), _node(v)) for k, v in value.items()]
        return yaml.MappingNode("tag:yaml.org,2002:map", pairs, flow_style=False)
    raise TypeError(f"no plain YAML node for {type(value).__name__}")
