"""How a map draws each kind of node and each type of edge: one table each, so a new kind or type only adds a row.

An edge type's style says whether it is directed (drawn with an arrow from its source to its target), its colour
and dash pattern, and the words the legend and the side panel use for it. Types the table does not know are drawn
as thin grey links.
"""

from __future__ import annotations

from typing import Any, NamedTuple

__all__ = ["KIND_COLOURS", "COMMUNITY_COLOURS", "OTHER_COLOUR", "EdgeStyle", "EDGE_STYLES", "edge_style",
           "RELATION_TYPES"]

KIND_COLOURS = {
    "method": "#4e79a7", "dataset": "#f28e2b", "task": "#59a14f", "metric": "#e15759", "concept": "#9c755f",
    "paper": "#76b7b2", "reference": "#b07aa1", "author": "#edc948",
}
COMMUNITY_COLOURS = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
                     "#9c755f", "#86bcb6", "#d37295", "#8cd17d"]
OTHER_COLOUR = "#bab0ac"


class EdgeStyle(NamedTuple):
    """How one edge type is drawn and named."""

    directed: bool
    colour: str
    dashes: bool | list[int]
    words: str  # what the legend says: "A uses B for ..."

    def vis(self) -> dict[str, Any]:
        """The vis-network options of an edge of this style (arrows are set per edge, from its direction)."""
        out: dict[str, Any] = {"color": {"color": self.colour, "opacity": 0.55 if not self.directed else 0.8}}
        if self.dashes:
            out["dashes"] = self.dashes
        return out


#: Typed relations between entities (SciERC's relation set), all directed but COMPARE and CONJUNCTION.
RELATION_TYPES = ("USED_FOR", "EVALUATE_FOR", "FEATURE_OF", "HYPONYM_OF", "PART_OF", "COMPARE", "CONJUNCTION")

EDGE_STYLES: dict[str, EdgeStyle] = {
    "CO_OCCURS": EdgeStyle(False, "#b9b9b9", False, "mentioned in the same papers"),
    "RELATED_TO": EdgeStyle(False, "#9fc5c2", False, "share rare entities"),
    "CITES": EdgeStyle(True, "#b07aa1", [6, 4], "cites"),
    "CO_CITED": EdgeStyle(False, "#c9a3c0", False, "cited together"),
    "COUPLED": EdgeStyle(False, "#a3b8c9", False, "cite the same references"),
    "WROTE": EdgeStyle(True, "#d4b13f", [2, 3], "wrote"),
    "CO_AUTHOR": EdgeStyle(False, "#d4b13f", False, "wrote together"),
    "USED_FOR": EdgeStyle(True, "#2f6db5", False, "used for"),
    "EVALUATE_FOR": EdgeStyle(True, "#c0392b", False, "evaluates"),
    "FEATURE_OF": EdgeStyle(True, "#7d3c98", [8, 3], "feature of"),
    "HYPONYM_OF": EdgeStyle(True, "#1e8449", [8, 3], "a kind of"),
    "PART_OF": EdgeStyle(True, "#a04000", [3, 3], "part of"),
    "COMPARE": EdgeStyle(False, "#d35400", [10, 4], "compared with"),
    "CONJUNCTION": EdgeStyle(False, "#7f8c8d", [2, 2], "used together with"),
}
_UNKNOWN = EdgeStyle(False, "#cccccc", False, "linked")


def edge_style(edge_type: str) -> EdgeStyle:
    """The style of an edge type (a thin grey undirected link for a type the table does not know).

    >>> edge_style("USED_FOR").directed, edge_style("CO_OCCURS").directed, edge_style("NEW_TYPE").words
    (True, False, 'linked')
    """
    return EDGE_STYLES.get(edge_type, _UNKNOWN)
