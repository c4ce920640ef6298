"""The records as text: JSON (indented, or compact for JSON Lines) and YAML, byte for byte what
``json.dumps`` and ``store.dump_yaml`` write, only faster (data.py, database.py)."""

from __future__ import annotations

import io
import json
from typing import Any

import yaml

from replyarchive.records.model import Reply

_BASE_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
_IMPLICIT: dict[Any, list[tuple[str, Any]]] = _BASE_DUMPER.yaml_implicit_resolvers
"""First character of a plain scalar → the (tag, pattern) of every implicit resolver that may
read a scalar starting with it as not a string (the key None: one for any first character)."""
_STR_TAG = "tag:yaml.org,2002:str"
_quote = getattr(json.encoder, "c_encode_basestring", None) or json.encoder.encode_basestring
"""What json.dumps(ensure_ascii=False) writes for a string."""


class _Dumper(_BASE_DUMPER):  # type: ignore[misc, valid-type]
    """libyaml's safe dumper when present: the same text as store.dump_yaml, much faster.

    For every scalar its serialiser asks the resolver twice whether it would read back as
    something else than a string, and once for every list and mapping; without path
    resolvers (none are added) the answers need only the implicit resolvers of the scalar's
    first character (``BaseResolver.resolve``, without its general case)."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is yaml.ScalarNode:
            if implicit[0]:
                for tag, pattern in _IMPLICIT.get(value[:1], ()):
                    if pattern.match(value):
                        return tag
            return _STR_TAG
        if kind is yaml.SequenceNode:
            return self.DEFAULT_SEQUENCE_TAG
        return self.DEFAULT_MAPPING_TAG

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        pass

    def ascend_resolver(self) -> None:
        pass

    if None in _IMPLICIT or _BASE_DUMPER.yaml_path_resolvers:  # then only the general case
        del resolve, descend_resolver, ascend_resolver


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
