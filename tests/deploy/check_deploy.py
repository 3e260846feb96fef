#!/usr/bin/python3
"""Keeps the deployment files (deploy/) true to the binary they ship.

  check_deploy.py PATH_TO_BINARY SOURCE_DIR

- The image's runtime stage installs the Debian package of every shared library the binary
  links (readelf NEEDED -> the file ldconfig resolves -> dpkg -S), so a new dependency cannot
  ship an image that fails to start.
- Every variable the Containerfile and the manifests set is one the binary knows (its
  `serve --help`), so a renamed variable cannot be silently ignored.
- The Deployment probes /readyz for readiness and /health for liveness on the container's port,
  takes FERRLABS_TELEMETRY_SALT, JWT_SECRET and FERRLABS_MAIL from a Secret, runs in production
  mode, and gives the drain more time than FERRLABS_SHUTDOWN_GRACE_S.
Prints `ok - …` / `not ok - …` lines; exits 1 on any failure.
"""
import re
import shutil
import subprocess
import sys

import yaml

binary, source = sys.argv[1], sys.argv[2]
failures = 0


def check(name, condition, detail=""):
    global failures
    print(("ok - " if condition else "not ok - ") + name + ("" if condition else f"  ({detail})"))
    if not condition:
        failures += 1


containerfile = open(f"{source}/deploy/Containerfile").read()
runtime = containerfile.split("\nFROM ")[-1]
installed = set(re.findall(r"[a-z0-9][a-z0-9.+-]+", runtime.split("apt-get install")[1].split("&&")[0]))

needed = re.findall(r"\(NEEDED\)\s+Shared library: \[(.+?)\]",
                    subprocess.run(["readelf", "-d", binary], capture_output=True, text=True,
                                   check=True).stdout)
resolved = {}
for line in subprocess.run([shutil.which("ldconfig") or "/sbin/ldconfig", "-p"], capture_output=True, text=True).stdout.splitlines():
    m = re.match(r"\s+(\S+) \(libc6,x86-64.*\) => (\S+)", line)
    if m:
        resolved.setdefault(m.group(1), m.group(2))
check("the binary links shared libraries", len(needed) > 0, "no NEEDED entry")
for soname in needed:
    path = resolved.get(soname)
    if path is None:
        check(f"{soname} resolves", False, "not in ldconfig -p")
        continue
    owner = subprocess.run(["dpkg", "-S", path], capture_output=True, text=True)
    if owner.returncode != 0:  # /lib is a symlink to /usr/lib on Debian 12
        owner = subprocess.run(["dpkg", "-S", path.replace("/lib/", "/usr/lib/", 1)],
                               capture_output=True, text=True)
    package = owner.stdout.split(":")[0].strip()
    # libc6 is part of every Debian base image.
    check(f"{soname} comes with a runtime package ({package})",
          package == "libc6" or package in installed, f"{package} is not installed by the image")

help_text = subprocess.run([binary, "serve", "--help"], capture_output=True, text=True).stdout
known = set(re.findall(r"\[env ([A-Z_]+)\]", help_text))
check("serve --help lists the configuration variables", "DATABASE_URL" in known, help_text[:200])
image_env = re.findall(r"\b([A-Z][A-Z_]+)=", runtime.split("ENV", 1)[1].split("EXPOSE")[0])
for name in image_env:
    check(f"the image sets a known variable: {name}", name in known, "unknown to the binary")

def check_manifest(file, backend):
    """The checks both manifests share, then what their backend needs."""
    documents = list(yaml.safe_load_all(open(f"{source}/deploy/kubernetes/{file}")))
    kinds = {d["kind"]: d for d in documents}
    check(f"{file}: a Deployment and a Service", {"Deployment", "Service"} <= set(kinds),
          sorted(kinds))
    deployment = kinds["Deployment"]["spec"]
    pod = deployment["template"]["spec"]
    container = pod["containers"][0]
    env = {e["name"]: e for e in container["env"]}
    for name in env:
        check(f"{file} sets a known variable: {name}", name in known, "unknown to the binary")
    for secret in ("FERRLABS_TELEMETRY_SALT", "JWT_SECRET"):
        check(f"{file}: {secret} comes from a Secret",
              "secretKeyRef" in env.get(secret, {}).get("valueFrom", {}), env.get(secret))
    check(f"{file}: production mode", env.get("FERRLABS_ENV", {}).get("value") == "production")
    # Production refuses to start with FERRLABS_MAIL=log (its default), and an SMTP URL may hold
    # a password: the mail transport comes from a Secret too.
    check(f"{file}: FERRLABS_MAIL comes from a Secret",
          "secretKeyRef" in env.get("FERRLABS_MAIL", {}).get("valueFrom", {}),
          env.get("FERRLABS_MAIL"))
    port_names = {p["name"]: p["containerPort"] for p in container["ports"]}
    listen_port = int(env["FERRLABS_LISTEN"]["value"].rsplit(":", 1)[1])
    readiness = container["readinessProbe"]["httpGet"]
    liveness = container["livenessProbe"]["httpGet"]
    check(f"{file}: readiness is /readyz", readiness["path"] == "/readyz", readiness)
    check(f"{file}: liveness is /health", liveness["path"] == "/health", liveness)
    check(f"{file}: the probes and the Service reach the port the server listens on",
          all(port_names.get(p) == listen_port for p in
              (readiness["port"], liveness["port"],
               kinds["Service"]["spec"]["ports"][0]["targetPort"])),
          port_names)
    grace = int(env["FERRLABS_SHUTDOWN_GRACE_S"]["value"])
    check(f"{file}: Kubernetes waits longer than the drain",
          pod["terminationGracePeriodSeconds"] > grace,
          f"{pod['terminationGracePeriodSeconds']} <= {grace}")
    if backend == "sqlite":
        check(f"{file}: SQLite keeps its file on a volume claim", "PersistentVolumeClaim" in kinds)
        check(f"{file}: SQLite means one replica, replaced not rolled",
              deployment["replicas"] == 1 and deployment["strategy"]["type"] == "Recreate")
        check(f"{file}: on SQLite", env["DATABASE_URL"].get("value", "").startswith("sqlite:"))
    else:
        check(f"{file}: several replicas, rolled one at a time",
              deployment["replicas"] >= 2 and deployment["strategy"]["type"] == "RollingUpdate"
              and deployment["strategy"]["rollingUpdate"]["maxUnavailable"] == 0)
        check(f"{file}: DATABASE_URL (it holds a password) comes from a Secret",
              "secretKeyRef" in env.get("DATABASE_URL", {}).get("valueFrom", {}))
        most_pods = deployment["replicas"] + deployment["strategy"]["rollingUpdate"]["maxSurge"]
        connections = most_pods * int(env["DATABASE_MAX_CONNECTIONS"]["value"])
        check(f"{file}: every pod's pool fits PostgreSQL's default max_connections (100, "
              f"3 reserved)", connections <= 97, connections)


check_manifest("ferrlabs-api.yaml", "sqlite")
check_manifest("ferrlabs-api-postgres.yaml", "postgres")

print(f"# {failures} failed")
sys.exit(1 if failures else 0)
