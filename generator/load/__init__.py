"""load: spec files → a Workspace of parsed documents with resolvable `$ref`s.

source.py     read a file (size limit, UTF-8), choose the parser
yamlfile.py   YAML → plain data, built from parser events (core tags only, duplicate keys, depth)
jsonfile.py   JSON → plain data (duplicate keys, depth bounded)
shape.py      bounds on parsed data: depth, YAML alias expansion and cycles, lone surrogates
locate.py     (file, JSON pointer) → (line, column), computed only when a problem is shown
normalize.py  Swagger 2.0 → OpenAPI 3 shape; version detection
workspace.py  the set of loaded documents and `$ref` resolution inside the sandbox
"""

from .workspace import Document, LoadOptions, Resolved, Workspace, load_workspace

__all__ = ["Document", "LoadOptions", "Resolved", "Workspace", "load_workspace"]
