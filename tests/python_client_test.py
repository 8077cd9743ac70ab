#!/usr/bin/python3
"""CTest: the Python example client against a real kgraphd on a free port.

Generates stubs from proto/ into a temp dir, starts kgraphd on a fresh store,
loads triples through IngestService.UpsertTriples, then checks search,
neighbors and path results.
"""
import argparse
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--kgraphd", required=True)
    parser.add_argument("--proto_dir", required=True)
    parser.add_argument("--example_dir", required=True)
    args = parser.parse_args()
    sys.path.insert(0, args.example_dir)
    import kgraph_client

    with tempfile.TemporaryDirectory() as tmp:
        stubs = os.path.join(tmp, "stubs")
        os.makedirs(stubs)
        kgraph_client.generate_stubs(args.proto_dir, stubs)
        port = free_port()
        server = subprocess.Popen(
            [args.kgraphd, "--db", os.path.join(tmp, "db"), "--listen", f"127.0.0.1:{port}",
             "--threads", "2"], stderr=subprocess.PIPE, text=True)
        try:
            import grpc
            client = kgraph_client.KgraphClient(f"127.0.0.1:{port}")
            grpc.channel_ready_future(client.channel).result(timeout=20)

            reply = client.upsert([("Netflix", "bids_for", "Warner Bros"),
                                   ("Paramount", "bids_for", "Warner Bros"),
                                   ("Netflix", "competes_with", "Paramount"),
                                   ("Huawei", "supplies", "China Telecom"),
                                   ("China Telecom", "located_in", "China"),
                                   ("Huawei", "located_in", "China")])
            assert reply.new_edges == 6, reply

            names = [e.name for e in client.search("net")]
            assert names == ["Netflix"], names
            assert len(list(client.search("c", page_size=1))) == 2  # China, China Telecom

            neighbors = client.neighbors("Warner Bros", relations=["bids_for"])
            found = sorted(n.entity.name for n in neighbors.nodes if n.hop == 1)
            assert found == ["Netflix", "Paramount"], found
            assert all(e.relation == "bids_for" for e in neighbors.edges)

            paths = client.path("Huawei", "China Telecom").paths
            assert len(paths) == 1 and len(paths[0].edges) == 1, paths
            paths = client.path("Netflix", "China", max_hops=4).paths
            assert len(paths) == 0 or len(paths[0].edges) >= 1

            try:
                client.neighbors("Nobody")
                raise AssertionError("expected NOT_FOUND")
            except grpc.RpcError as e:
                assert e.code() == grpc.StatusCode.NOT_FOUND, e.code()
            # Server reflection lists the services (raw bytes: no reflection stubs
            # in Debian's grpcio). Request: list_services = "*" (field 7).
            reflect = client.channel.stream_stream(
                "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo",
                request_serializer=lambda b: b, response_deserializer=lambda b: b)
            listing = b"".join(reflect(iter([b"\x3a\x01*"]), timeout=10))
            for service in (b"kgraph.v1.GraphService", b"kgraph.v1.IngestService",
                            b"grpc.health.v1.Health"):
                assert service in listing, listing
            print("python client: search, neighbors, path, reflection OK")
        finally:
            server.send_signal(signal.SIGTERM)
            try:
                _, err = server.communicate(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
                raise
            if server.returncode != 0:
                print(err, file=sys.stderr)
                raise SystemExit(f"kgraphd exited with {server.returncode}")


if __name__ == "__main__":
    main()
