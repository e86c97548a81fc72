"""render/models.py's repairs of datamodel-code-generator's output."""

from __future__ import annotations

from generator.render.models import _parametrise_bare_containers

HEAD = "# header\n\nfrom __future__ import annotations\n\nfrom pydantic import RootModel\n\n\n"


def test_bare_list_and_dict_get_their_type_arguments() -> None:
    """opc-baseline's self-referencing array of maps came out as `RootModel[list]`, which mypy
    --strict rejects; list[int] and a field named `list` stay as they are."""
    source = HEAD + (
        "class Tree(RootModel[list]):\n"
        "    root: list\n\n\n"
        "class Other(BaseModel):\n"
        "    items: list[int] | dict | None = None\n"
        "    list: int = 0\n"
    )
    assert _parametrise_bare_containers(source) == (
        "# header\n\nfrom __future__ import annotations\nfrom typing import Any\n\n"
        "from pydantic import RootModel\n\n\n"
        "class Tree(RootModel[list[Any]]):\n"
        "    root: list[Any]\n\n\n"
        "class Other(BaseModel):\n"
        "    items: list[int] | dict[str, Any] | None = None\n"
        "    list: int = 0\n"
    )


def test_source_without_bare_containers_is_unchanged() -> None:
    source = HEAD + "class Tree(RootModel[list[int]]):\n    root: list[int]\n"
    assert _parametrise_bare_containers(source) is source
