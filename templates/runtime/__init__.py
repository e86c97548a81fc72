"""Runtime shared by every client that oagen generates.

These files are copied verbatim into each generated package as ``NAME/_runtime/``: the generated
code only describes the API (``spec.py`` descriptors); everything that happens at run time —
serialisation, validation, auth, retries, redirects, parsing, errors, pagination, waiting for
long-running operations — lives here, once.
"""
