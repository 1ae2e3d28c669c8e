# SPDX-License-Identifier: AGPL-3.0-or-later
"""DCAT-AP.de validation with pySHACL, offline and fast.

The SHACL profiles of GovData's validator and the vocabularies they import
are shipped in ``shapes/`` (see its README for sources and licences). What
makes this fast enough to run per record (the plain pySHACL call parses and
compiles the shapes and copies 500 KB of vocabularies into every data graph):

* each profile is parsed and compiled once per process (``profile()``);
* ``owl:imports`` are dropped; instead of the whole vocabularies, only the
  vocabulary triples about the IRIs the record uses (and their classes'
  superclasses) go with the data graph (pyshacl-turbo: handed over next to
  its triples, not added to it);
* vocabularies with no local copy (EU languages, German key lists) are
  accepted by namespace and code pattern, as ``vocab/imports-map.json`` says;
* only top-level results count, and only for focus nodes of the input (nested
  ``sh:detail`` results and vocabulary nodes are noise, as in GovData's
  validator);
* the engine is pyshacl-turbo (a Rust SHACL engine with pySHACL's API) when
  installed, about 20x faster here; pySHACL itself stays the reference
  (``engine="pyshacl"``) and both agree on GovData's test cases.
"""
from __future__ import annotations

import dataclasses
import functools
import importlib.util
import json
import re
from collections import defaultdict
from pathlib import Path

import rdflib
from rdflib import BNode, URIRef
from rdflib.namespace import OWL, RDF

SHAPES = Path(__file__).resolve().parent / "shapes"
PROFILES = ("v2.0-spec", "v2.0-spec-konventionen", "v3.0-spec")
SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
SEVERITIES = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}
ENGINES = ("turbo", "pyshacl")
DEFAULT_ENGINE = "turbo" if importlib.util.find_spec("pyshacl_turbo") else "pyshacl"
# vocabulary triples are followed this many steps from the record's IRIs
# (concept → scheme, class → superclass → …)
_CLOSURE_STEPS = 6


@dataclasses.dataclass(frozen=True)
class Result:
    severity: str
    focus: str
    path: str
    value: str
    message: str
    shape: str

    def __str__(self) -> str:
        return f"{self.severity}: {self.focus} {self.path} {self.value!r}: {self.message}"


@dataclasses.dataclass
class Report:
    profile: str
    results: list[Result]

    @property
    def violations(self) -> list[Result]:
        return [r for r in self.results if r.severity == "Violation"]

    @property
    def warnings(self) -> list[Result]:
        return [r for r in self.results if r.severity == "Warning"]

    @property
    def conforms(self) -> bool:
        return not self.violations

    def summary(self, limit: int = 20) -> str:
        """Counts, then one example per distinct violation message."""
        lines = [f"{self.profile}: {len(self.violations)} violations, {len(self.warnings)} warnings"]
        seen: dict[str, int] = {}
        for r in self.violations:
            seen[r.message] = seen.get(r.message, 0) + 1
            if seen[r.message] == 1 and len(seen) <= limit:
                lines.append(str(r))
        lines += [f"{n}x {m}" for m, n in seen.items()]
        return "\n".join(lines)


def _parse(graph: rdflib.Graph, path: Path) -> None:
    graph.parse(path, format="turtle" if path.suffix == ".ttl" else "xml")


class Profile:
    """One SHACL profile, compiled once: ``validate(graph) -> Report``."""

    def __init__(self, name: str, root: Path = SHAPES, engine: str = DEFAULT_ENGINE):
        if name not in PROFILES:
            raise ValueError(f"unknown DCAT-AP.de profile {name!r}; one of {PROFILES}")
        if engine not in ENGINES:
            raise ValueError(f"unknown SHACL engine {engine!r}; one of {ENGINES}")
        self.name = name
        self.engine = engine
        shapes = rdflib.Graph()
        for path in sorted((root / name).iterdir()):
            if path.suffix in (".ttl", ".rdf"):
                _parse(shapes, path)
        imports = set(shapes.objects(None, OWL.imports))
        shapes.remove((None, OWL.imports, None))
        self._load_vocab(root / "vocab", imports)
        self._validator = _compile_turbo(shapes) if engine == "turbo" else _compile(shapes)

    def _load_vocab(self, folder: Path, imports: set) -> None:
        mapping = json.loads((folder / "imports-map.json").read_text(encoding="utf-8"))["imports"]
        vocab = rdflib.Graph()
        self.fallbacks: list[tuple[str, re.Pattern, URIRef, URIRef]] = []
        for iri in sorted(str(i) for i in imports):
            entry = mapping.get(iri)
            if entry is None:
                raise ValueError(f"{self.name}: import {iri} is not mapped in imports-map.json")
            if entry.get("file"):
                _parse(vocab, folder / entry["file"])
            for fb in entry.get("fallback") or ():
                self.fallbacks.append((fb["namespace"], re.compile(fb["pattern"]),
                                       URIRef(fb["predicate"]), URIRef(fb["object"])))
        # subject → its triples; vocabulary ontology headers are of no use
        index: dict = defaultdict(list)
        for s, p, o in vocab:
            if p != OWL.imports:
                index[s].append((s, p, o))
        self._vocab = {s: tuple(ts) for s, ts in index.items()}

    def _vocab_for(self, nodes: set) -> list[tuple]:
        """The vocabulary triples about the nodes the record uses, followed
        through concept schemes and superclasses, plus fallback memberships."""
        extra: list[tuple] = []
        seen: set = set()
        frontier = {n for n in nodes if isinstance(n, URIRef)}
        for _ in range(_CLOSURE_STEPS):
            nxt = set()
            for node in frontier - seen:
                seen.add(node)
                for triple in self._vocab.get(node, ()):
                    extra.append(triple)
                    if isinstance(triple[2], URIRef):
                        nxt.add(triple[2])
                if self.fallbacks:
                    text = str(node)
                    for ns, pattern, pred, obj in self.fallbacks:
                        if text.startswith(ns) and pattern.match(text[len(ns):]):
                            extra.append((node, pred, obj))
            frontier = nxt
            if not frontier - seen:
                break
        return extra

    def validate(self, data: rdflib.Graph, scratch: bool = False) -> Report:
        """Validate the graph. The vocabulary triples are added to it for the
        run and removed afterwards (copying a catalog page would cost more
        than validating it); with ``scratch`` (a graph made for this call
        alone) they are left in it."""
        nodes = set(data.all_nodes())
        added = [t for t in self._vocab_for(nodes) if t not in data]
        if self.engine == "turbo":
            # handed to the engine next to the graph's own triples: adding
            # them to the graph first cost more than the validation
            results = [r for r in self._validator(data, added) if r[0] in nodes]
            return Report(self.name, [_result(*r) for r in results])
        for triple in added:
            data.add(triple)
        try:
            results = [r for r in self._validator(data) if r[0] in nodes]
        finally:
            if not scratch:
                for triple in added:
                    data.remove(triple)
        return Report(self.name, [_result(*r) for r in results])


def _compile(shapes: rdflib.Graph):
    """A function graph -> [(focus, severity, path, value, message, shape)],
    the shapes compiled once (pySHACL's ShapesGraph caches them)."""
    from pyshacl import Validator
    from pyshacl.graph_abstraction import DataGraph

    validator = Validator(DataGraph.from_rdflib_graph(rdflib.Graph()), shacl_graph=shapes,
                          options={"inference": "none", "advanced": False})
    sg = validator.shacl_graph
    shape_list = list(sg.shapes)  # compiles every shape now
    executor = validator.make_executor()

    def run(graph: rdflib.Graph) -> list[tuple]:
        g = DataGraph.from_rdflib_graph(graph)
        out = []
        for shape in shape_list:
            _conforms, reports = shape.validate(executor, g)
            for _text, node, triples in reports:
                out.append(_fields(node, triples))
        return out

    return run


def _compile_turbo(shapes: rdflib.Graph):
    """The same with pyshacl-turbo: compile once, read the report graph."""
    import pyshacl_turbo

    from pyshacl_turbo.rdf import Input, _TermBatch

    program = pyshacl_turbo.compile_shapes(shapes, advanced=False)

    def run(graph: rdflib.Graph, extra: list[tuple] = ()) -> list[tuple]:
        # the graph as pyshacl-turbo reads one (its term batch), plus ``extra``
        blank_nodes: dict = {}
        batch = _TermBatch(blank_nodes)
        for triple in graph:
            batch.append(*triple)
        for triple in extra:
            batch.append(*triple)
        data = Input((batch.records, batch.quads), "terms", None, blank_nodes, dict(graph.namespaces()))
        _conforms, report, _text = program.validate(data)
        out = []
        for top in report.subjects(RDF.type, SH.ValidationReport):
            for node in report.objects(top, SH.result):
                messages = list(report.objects(node, SH.resultMessage))
                message = next((m for m in messages if getattr(m, "language", None) == "de"),
                               messages[0] if messages else "")
                out.append((report.value(node, SH.focusNode),
                            SEVERITIES.get(report.value(node, SH.resultSeverity), "Violation"),
                            report.value(node, SH.resultPath), report.value(node, SH.value),
                            message, report.value(node, SH.sourceShape)))
        return out

    return run


def _fields(node, triples) -> tuple:
    values: dict = {}
    for s, p, o in triples:
        if s != node:
            continue  # nested sh:detail results
        if isinstance(o, tuple):
            o = o[1]
        values.setdefault(p, o)
    message = values.get(SH.resultMessage, "")
    return (values.get(SH.focusNode), SEVERITIES.get(values.get(SH.resultSeverity), "Violation"),
            values.get(SH.resultPath), values.get(SH.value), message, values.get(SH.sourceShape))


def _result(focus, severity, path, value, message, shape) -> Result:
    def text(x):
        if x is None:
            return ""
        if isinstance(x, BNode):
            return "_:b"
        return str(x)
    return Result(severity, text(focus), text(path), text(value), text(message), text(shape))


@functools.lru_cache(maxsize=None)
def profile(name: str, engine: str = DEFAULT_ENGINE) -> Profile:
    """The compiled profile (once per process)."""
    return Profile(name, engine=engine)


def validate(data: rdflib.Graph | str | bytes, name: str, fmt: str = "turtle",
             engine: str = DEFAULT_ENGINE, scratch: bool = False) -> Report:
    """``scratch``: the graph is the caller's throw-away copy (Profile.validate)."""
    if not isinstance(data, rdflib.Graph):
        data, scratch = rdflib.Graph().parse(data=data, format=fmt), True
    return profile(name, engine).validate(data, scratch=scratch)
