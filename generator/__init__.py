"""oagen: OpenAPI description → vendorable, typed, tested Python client package.

The pipeline, one module (or package) per stage:

    load/      spec files → Workspace (parsed documents, $refs resolvable, positions on demand)
    build/     Workspace → ir.Api (frozen dataclasses; every naming decision made in naming.py)
    render/    ir.Api → {relative path: text} (Jinja2 templates + datamodel-code-generator)
    format.py  black over every Python file, cached by content hash
    write.py   staging folder → atomic replace of managed files + manifest

`pipeline.py` chains the stages; `cli.py` is the only module that talks to the terminal.
Around them: `inputs.py` (what shapes the output, hashed into the manifest: the no-op fast
path), `cache.py` (content-addressed cache of the slow stages), `drift.py` (`oagen check`'s
comparison), `diff.py` + `diffschema.py` (`oagen diff`: breaking-change classification).
"""

__version__ = "0.1.0"
