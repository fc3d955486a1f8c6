#!/usr/bin/env python3
"""Writes the deterministic config repository capstan-bump's benchmark bumps an image in.

usage: gen_bump_repo.py DIR [FILES] [MATCHES]

FILES (default 10,000) files in apps/<name>/ directories of four: deployment.yaml,
service.yaml, kustomization.yaml and values.yaml. MATCHES (default 50) of them reference
ghcr.io/acme/api, spread evenly and across the kinds of target (kustomization images entries,
container image: values, Helm values image.repository/tag); every other app has an image of its
own, so a bump must read the whole tree to find the 50. Prints one summary line.
"""
import os
import sys

IMAGE = "ghcr.io/acme/api"


def deployment(name, image):
    return f"""apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}
  labels:
    app.kubernetes.io/name: {name}
spec:
  replicas: 2
  selector:
    matchLabels:
      app.kubernetes.io/name: {name}
  template:
    metadata:
      labels:
        app.kubernetes.io/name: {name}
    spec:
      containers:
        - name: {name}
          image: {image}   # deployed by CI
          ports:
            - containerPort: 8080
          resources:
            requests: {{cpu: 50m, memory: 64Mi}}
            limits: {{memory: 128Mi}}
"""


def service(name):
    return f"""apiVersion: v1
kind: Service
metadata:
  name: {name}
spec:
  selector:
    app.kubernetes.io/name: {name}
  ports:
    - port: 80
      targetPort: 8080
"""


def kustomization(name, image, tag):
    return f"""apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: {name}
resources:
  - deployment.yaml
  - service.yaml
images:
  - name: {image}
    newTag: "{tag}"
"""


def values(image, tag):
    return f"""replicaCount: 2
image:
  repository: {image}
  tag: "{tag}"
  pullPolicy: IfNotPresent
service:
  type: ClusterIP
  port: 80
"""


def main():
    if not 2 <= len(sys.argv) <= 4:
        sys.exit(__doc__)
    root = sys.argv[1]
    files = int(sys.argv[2]) if len(sys.argv) > 2 else 10000
    matches = int(sys.argv[3]) if len(sys.argv) > 3 else 50
    apps = files // 4
    step = apps // matches
    kinds = ["kustomization", "deployment", "values"]
    written = found = 0
    for i in range(apps):
        name = f"svc-{i:05d}"
        own = f"ghcr.io/acme/{name}"
        match = step > 0 and i % step == 0 and i // step < matches
        kind = kinds[(i // step) % 3] if match else None
        d = os.path.join(root, "apps", name)
        os.makedirs(d, exist_ok=True)
        content = {
            "deployment.yaml": deployment(name, (IMAGE if kind == "deployment" else own) + ":1.0.0"),
            "service.yaml": service(name),
            "kustomization.yaml": kustomization(name, IMAGE if kind == "kustomization" else own, "1.0.0"),
            "values.yaml": values(IMAGE if kind == "values" else own, "1.0.0"),
        }
        for f, text in content.items():
            with open(os.path.join(d, f), "w") as out:
                out.write(text)
            written += 1
        found += 1 if match else 0
    print(f"{written} files, {found} referencing {IMAGE}")


main()
