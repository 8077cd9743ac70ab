#!/usr/bin/python3
"""A minimal Python client for kgraphd, proving the API is usable from any
language with stock gRPC tooling (Debian: python3-grpcio, python3-grpc-tools).

Stubs are generated from the .proto files at run time into a temp dir:

    /usr/bin/python3 kgraph_client.py --server 127.0.0.1:50051 \
        --proto_dir ../../proto search Net
"""
import argparse
import importlib
import os
import subprocess
import sys
import tempfile


def generate_stubs(proto_dir, out_dir):
    """Compiles kgraph/v1/*.proto into out_dir and makes it importable.

    Uses grpc_tools.protoc; its bundled protoc is old, so when the generated
    code does not import, falls back to the system protoc plus
    grpc_python_plugin (protobuf-compiler-grpc).
    """
    protos = sorted(os.path.join("kgraph/v1", f)
                    for f in os.listdir(os.path.join(proto_dir, "kgraph/v1"))
                    if f.endswith(".proto"))
    include = "/usr/include"  # google/protobuf/*.proto well-known types
    attempts = [
        [sys.executable, "-m", "grpc_tools.protoc", f"-I{proto_dir}", f"-I{include}",
         f"--python_out={out_dir}", f"--grpc_python_out={out_dir}", *protos],
        ["protoc", f"-I{proto_dir}", f"-I{include}", f"--python_out={out_dir}",
         f"--grpc_python_out={out_dir}",
         "--plugin=protoc-gen-grpc_python=/usr/bin/grpc_python_plugin", *protos],
    ]
    errors = []
    for cmd in attempts:
        result = subprocess.run(cmd, cwd=proto_dir, capture_output=True, text=True)
        if result.returncode != 0:
            errors.append(f"{cmd[0]}: {result.stderr.strip()}")
            continue
        for pkg in ("kgraph", "kgraph/v1"):
            open(os.path.join(out_dir, pkg, "__init__.py"), "a").close()
        if out_dir not in sys.path:
            sys.path.insert(0, out_dir)
        try:
            for name in list(sys.modules):
                if name.startswith("kgraph"):
                    del sys.modules[name]
            importlib.import_module("kgraph.v1.graph_pb2")
            importlib.import_module("kgraph.v1.graph_pb2_grpc")
            return
        except Exception as e:  # old generated code vs new runtime
            errors.append(f"{cmd[0]} output does not import: {e}")
    raise RuntimeError("cannot generate Python stubs:\n" + "\n".join(errors))


class KgraphClient:
    """Thin wrapper over the generated GraphService stub."""

    def __init__(self, target, token=None, timeout=10.0):
        import grpc
        from kgraph.v1 import graph_pb2, graph_pb2_grpc, ingest_pb2, ingest_pb2_grpc
        self.pb = graph_pb2
        self.ingest_pb = ingest_pb2
        self.channel = grpc.insecure_channel(target)
        self.graph = graph_pb2_grpc.GraphServiceStub(self.channel)
        self.ingest = ingest_pb2_grpc.IngestServiceStub(self.channel)
        self.metadata = [("authorization", f"Bearer {token}")] if token else None
        self.timeout = timeout

    def _call(self, method, request):
        return method(request, timeout=self.timeout, metadata=self.metadata)

    def search(self, prefix, page_size=20):
        """Yields every entity whose name starts with prefix, following pages."""
        request = self.pb.SearchEntitiesRequest(prefix=prefix, page_size=page_size)
        while True:
            response = self._call(self.graph.SearchEntities, request)
            yield from response.entities
            if not response.next_page_token:
                return
            request.page_token = response.next_page_token

    def neighbors(self, name, hops=1, relations=()):
        request = self.pb.GetNeighborsRequest(
            entity=self.pb.EntityRef(name=name), hops=hops,
            filter=self.pb.EdgeFilter(include_relations=list(relations)))
        return self._call(self.graph.GetNeighbors, request)

    def path(self, source, target, max_hops=4):
        request = self.pb.FindPathsRequest(
            source=self.pb.EntityRef(name=source), target=self.pb.EntityRef(name=target),
            max_hops=max_hops)
        return self._call(self.graph.FindPaths, request)

    def upsert(self, triples):
        request = self.ingest_pb.UpsertTriplesRequest(triples=[
            self.ingest_pb.Triple(subject=s, relation=r, object=o) for s, r, o in triples])
        return self._call(self.ingest.UpsertTriples, request)


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--server", default="127.0.0.1:50051")
    parser.add_argument("--proto_dir",
                        default=os.path.join(os.path.dirname(__file__), "../../proto"))
    parser.add_argument("--token")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("search").add_argument("prefix")
    n = sub.add_parser("neighbors")
    n.add_argument("name")
    n.add_argument("--hops", type=int, default=1)
    n.add_argument("--rel", action="append", default=[])
    p = sub.add_parser("path")
    p.add_argument("source")
    p.add_argument("target")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as stubs:
        generate_stubs(os.path.abspath(args.proto_dir), stubs)
        client = KgraphClient(args.server, args.token)
        if args.command == "search":
            for e in client.search(args.prefix):
                print(f"{e.id}\t{e.name}\t{e.out_degree + e.in_degree}")
        elif args.command == "neighbors":
            reply = client.neighbors(args.name, args.hops, args.rel)
            for node in reply.nodes:
                print(f"hop {node.hop}\t{node.entity.name}")
            for e in reply.edges:
                print(f"{e.source_name} -[{e.relation}]-> {e.target_name}")
        else:
            for i, path in enumerate(client.path(args.source, args.target).paths, 1):
                print(f"path {i}: " + " ; ".join(
                    f"{e.source_name} -[{e.relation}]-> {e.target_name}" for e in path.edges))


if __name__ == "__main__":
    main()
