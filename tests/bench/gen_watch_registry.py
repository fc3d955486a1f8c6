#!/usr/bin/env python3
"""Fixtures for capstan-watch's benchmark (tests/bench/watch.sh); Python standard library only.

  gen_watch_registry.py push HOST IMAGES BIG_TAGS
      Pushes IMAGES repositories acme/svc-000.. to the registry at HOST (127.0.0.1:PORT, plain
      HTTP), each with the tags in TAGS (one config and one layer blob per repository, one small
      OCI manifest per tag that differs only by an annotation, so every tag has its own digest),
      and acme/big with BIG_TAGS semver tags that all point at one manifest.
  gen_watch_registry.py repo HOST IMAGES DIR KIND
      Writes a config repository's working tree into DIR: KIND "many" gives IMAGES kustomizations
      apps/svc-NNN/kustomization.yaml pinning each image at OLD_TAG and a .capstan.yaml with one
      semver entry per image; "pin" is the same with `pin-digest: true`; "big" watches acme/big
      alone, pinned at its lowest tag.
  gen_watch_registry.py list-tags HOST IMAGES [big]
      The registry's own floor: GET /v2/ and then every repository's tag list (or only acme/big's)
      on one keep-alive connection, each body parsed as JSON.
Everything is deterministic, so the chosen tags are known: NEW_TAG for every svc image, and the
highest release for acme/big.
"""
import hashlib
import http.client
import json
import os
import sys
import threading

TAGS = ["1.0.0", "1.0.1", "1.1.0", "1.2.0", "1.2.1", "1.3.0", "1.4.0-rc.1", "2.0.0"]
OLD_TAG = "1.0.0"
NEW_TAG = "1.3.0"  # the highest release inside ^1 / ~1; 1.4.0-rc.1 is a pre-release, 2.0.0 is outside
OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
OCI_CONFIG = "application/vnd.oci.image.config.v1+json"
OCI_LAYER = "application/vnd.oci.image.layer.v1.tar"


def fail(msg):
    print(f"gen_watch_registry.py: {msg}", file=sys.stderr)
    sys.exit(2)


def svc(i):
    return f"acme/svc-{i:03d}"


def big_tag(i):
    # 1,000 per major, 20 minors of 50 patches; every 10th is a pre-release of that version.
    tag = f"{i // 1000}.{(i // 50) % 20}.{i % 50}"
    return tag + "-rc.1" if i % 10 == 9 else tag


def digest(data):
    return "sha256:" + hashlib.sha256(data).hexdigest()


class Registry:
    """One keep-alive HTTP/1.1 connection to the registry."""

    def __init__(self, host):
        self.host = host
        self.conn = http.client.HTTPConnection(host, timeout=60)

    def request(self, method, path, body=None, headers=None, want=(200,)):
        self.conn.request(method, path, body=body, headers=headers or {})
        response = self.conn.getresponse()
        data = response.read()
        if response.status not in want:
            fail(f"{method} {path}: HTTP {response.status}: {data[:200]!r}")
        return response, data

    def push_blob(self, repo, data):
        response, _ = self.request("POST", f"/v2/{repo}/blobs/uploads/", want=(202,))
        location = response.getheader("Location") or fail(f"POST upload for {repo} without a Location")
        if location.startswith("http://"):
            location = location[len("http://") + len(self.host):]
        sep = "&" if "?" in location else "?"
        self.request("PUT", f"{location}{sep}digest={digest(data)}", body=data,
                     headers={"Content-Type": "application/octet-stream"}, want=(201,))
        return {"digest": digest(data), "size": len(data)}

    def push_manifest(self, repo, reference, manifest):
        self.request("PUT", f"/v2/{repo}/manifests/{reference}", body=manifest,
                     headers={"Content-Type": OCI_MANIFEST}, want=(201,))


def manifest_bytes(config, layer, annotations):
    manifest = {
        "schemaVersion": 2,
        "mediaType": OCI_MANIFEST,
        "config": dict(config, mediaType=OCI_CONFIG),
        "layers": [dict(layer, mediaType=OCI_LAYER)],
    }
    if annotations:
        manifest["annotations"] = annotations
    return json.dumps(manifest, sort_keys=True, separators=(",", ":")).encode()


def push_repo_blobs(reg, repo):
    layer = reg.push_blob(repo, f"layer of {repo}\n".encode())
    config = json.dumps({"architecture": "amd64", "os": "linux", "created": "2026-01-01T00:00:00Z",
                         "rootfs": {"type": "layers", "diff_ids": [layer["digest"]]},
                         "config": {}}, sort_keys=True).encode()
    return reg.push_blob(repo, config), layer


def push_svc(host, indices):
    reg = Registry(host)
    for i in indices:
        repo = svc(i)
        config, layer = push_repo_blobs(reg, repo)
        for tag in TAGS:
            reg.push_manifest(repo, tag, manifest_bytes(
                config, layer, {"org.opencontainers.image.version": tag}))


def push_big(host, manifest, indices):
    reg = Registry(host)
    for i in indices:
        reg.push_manifest("acme/big", big_tag(i), manifest)


def in_threads(target, jobs, args):
    """Runs target(*args, share) on 4 connections at once; a failure in any of them fails all."""
    failed = []

    def run(share):
        try:
            target(*args, share)
        except BaseException as e:  # fail() raises SystemExit, which a thread would swallow
            failed.append(e)

    threads = [threading.Thread(target=run, args=(jobs[k::4],)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if failed:
        sys.exit(2) if isinstance(failed[0], SystemExit) else fail(f"push failed: {failed[0]!r}")


def cmd_push(host, images, big_tags):
    if images < 1 or big_tags < 1:
        fail("IMAGES and BIG_TAGS must be at least 1")
    in_threads(push_svc, list(range(images)), (host,))
    reg = Registry(host)
    config, layer = push_repo_blobs(reg, "acme/big")
    manifest = manifest_bytes(config, layer, {})
    reg.push_manifest("acme/big", big_tag(0), manifest)  # the manifest exists before its many tags
    in_threads(push_big, list(range(1, big_tags)), (host, manifest))
    # Check what a client will see: every repository's tag count.
    for repo, want in [(svc(0), len(TAGS)), (svc(images - 1), len(TAGS)), ("acme/big", big_tags)]:
        _, data = reg.request("GET", f"/v2/{repo}/tags/list")
        got = len(json.loads(data)["tags"])
        if got != want:
            fail(f"{repo} lists {got} tags, expected {want}")
    print(f"{images} repositories x {len(TAGS)} tags, acme/big with {big_tags} tags")


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def kustomization(image, tag):
    return ("apiVersion: kustomize.config.k8s.io/v1beta1\n"
            "kind: Kustomization\n"
            "images:\n"
            f"  - name: {image}\n"
            f"    newTag: {tag}\n")


def cmd_repo(host, images, out, kind):
    entries = []
    if kind == "big":
        image = f"{host}/acme/big"
        write(f"{out}/apps/big/kustomization.yaml", kustomization(image, big_tag(0)))
        entries.append(f"  - name: big\n    image: {image}\n    constraint: \">=0.0.0\"\n")
    elif kind in ("many", "pin"):
        for i in range(images):
            image = f"{host}/{svc(i)}"
            write(f"{out}/apps/svc-{i:03d}/kustomization.yaml", kustomization(image, OLD_TAG))
            constraint = "^1" if i % 2 == 0 else "~1"
            entry = f"  - name: svc-{i:03d}\n    image: {image}\n    constraint: \"{constraint}\"\n"
            if kind == "pin":
                entry += "    pin-digest: true\n"
            entries.append(entry)
    else:
        fail(f"unknown repository kind {kind}")
    write(f"{out}/.capstan.yaml", "images:\n" + "".join(entries))
    write(f"{out}/README.md", "capstan-watch benchmark config repository\n")
    print(f"{kind}: {len(entries)} images")


def cmd_list_tags(host, images, big):
    reg = Registry(host)
    reg.request("GET", "/v2/")
    repos = ["acme/big"] if big else [svc(i) for i in range(images)]
    tags = 0
    for repo in repos:
        _, data = reg.request("GET", f"/v2/{repo}/tags/list")
        tags += len(json.loads(data)["tags"])
    if tags == 0:
        fail("no tags listed")


def main(argv):
    if len(argv) == 4 and argv[0] == "push":
        cmd_push(argv[1], int(argv[2]), int(argv[3]))
    elif len(argv) == 5 and argv[0] == "repo":
        cmd_repo(argv[1], int(argv[2]), argv[3], argv[4])
    elif len(argv) in (3, 4) and argv[0] == "list-tags":
        cmd_list_tags(argv[1], int(argv[2]), len(argv) == 4 and argv[3] == "big")
    else:
        fail("usage: push HOST IMAGES BIG_TAGS | repo HOST IMAGES DIR many|pin|big | "
             "list-tags HOST IMAGES [big]")


if __name__ == "__main__":
    main(sys.argv[1:])
