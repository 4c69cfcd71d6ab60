"""Build the offline bundle: everything a server without internet needs to install and run ksmart.

Run on a machine that reaches PyPI (or the internal mirror pip is configured with):

    .venv/bin/python scripts/make_bundle.py                 # -> dist/ksmart-offline-<version>-py311-x86_64.tar.gz
    .venv/bin/python scripts/make_bundle.py --version 1.2.0 --out /tmp/dist

The tarball holds one folder, `ksmart-offline-<version>/`:

    install.sh         run on the server: checks SHA256SUMS, creates a venv, installs from wheels/ only
    SHA256SUMS         sha256sum -c list of every other file in the bundle
    requirements.lock  the exact versions in wheels/ (install.sh installs with it as constraints)
    wheels/            binary wheels of every dependency for CPython 3.11, Linux x86_64 (glibc >= 2.28), and pip
    app/               the project tree as it runs: server.py, app.py, pages/, ksmart/, data/, .streamlit/config.toml,
                       requirements.txt, README.md, VERSION
    deploy/            systemd unit, nginx example, settings file example

Why the project ships as a tree and not as a wheel: Streamlit runs a *file*
(`streamlit run server.py`) and reads `.streamlit/config.toml` from the working
directory, and ksmart finds `pages/` and `data/` beside its package. Installed
as a tree, the server runs exactly the layout that `make test` tests; each
version sits in its own `releases/<version>/` folder with its own venv, and an
upgrade or a rollback is switching the `current` link (install.sh).

Wheels only (`--only-binary=:all:`): nothing is compiled on either side, and a
dependency that ships no wheel stops the build here, not on the server. By
default the wheels are pinned to the versions installed in the interpreter that
runs this script (the ones `make test` tested); `--no-pin` takes the newest
versions requirements.txt allows. pip's cache (~/.cache/pip) makes a second
build take seconds.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON_VERSION = "3.11"
# The oldest glibc the server may have: pyarrow ships manylinux_2_28 wheels only (RHEL 8,
# Debian 10, Ubuntu 20.04 and newer). pip matches the tags literally, so every older one
# that a glibc 2.28 accepts is listed (manylinux2014 = 2_17, manylinux2010 = 2_12, manylinux1 = 2_5).
GLIBC_MINOR = 28
PLATFORMS = (*(f"manylinux_2_{m}_x86_64" for m in range(GLIBC_MINOR, 4, -1)),
             "manylinux2014_x86_64", "manylinux2010_x86_64", "manylinux1_x86_64")
# What the server runs, relative to ROOT (directories are copied whole, minus caches and stores).
APP_FILES = ("app.py", "server.py", "pages", "ksmart", "data", ".streamlit/config.toml", "requirements.txt", "README.md")
SKIP = re.compile(r"(__pycache__|\.pyc$|\.db$|\.db-(wal|shm|journal)$|^\.streamlit/secrets\.toml$)")
DEPLOY_FILES = ("ksmart@.service", "nginx.conf", "ksmart.env")


def version_default() -> str:
    """`git describe` (tag, commits since, hash, -dirty), or the date when git is not there."""
    try:
        out = subprocess.run(["git", "describe", "--tags", "--always", "--dirty"], cwd=ROOT,
                             capture_output=True, text=True, check=True).stdout.strip()
        if out:
            return out
    except (OSError, subprocess.CalledProcessError):
        pass
    from datetime import date

    return date.today().strftime("%Y.%m.%d")


def _requirement_names(path: Path) -> list[str]:
    names = []
    for line in path.read_text().splitlines():
        line = line.split("#")[0].strip()
        if line and not line.startswith("-"):
            names.append(re.split(r"[\[<>=!~; ]", line, maxsplit=1)[0])
    return names


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pins_of_this_environment() -> list[str]:
    """name==version of every distribution installed here (the tested versions)."""
    seen = {}
    for dist in metadata.distributions():
        name = dist.metadata["Name"]
        if name:
            seen[_canonical(name)] = f"{name}=={dist.version}"
    return sorted(seen.values(), key=str.lower)


def download_wheels(wheels: Path, constraints: Path | None, log) -> None:
    cmd = [sys.executable, "-m", "pip", "download", "--quiet", "--disable-pip-version-check",
           "--dest", str(wheels), "--only-binary=:all:", "--implementation", "cp",
           "--python-version", PYTHON_VERSION, *(a for p in PLATFORMS for a in ("--platform", p)),
           "-r", str(ROOT / "requirements.txt"), "pip"]
    if constraints:
        cmd += ["-c", str(constraints)]
    log(f"$ {' '.join(cmd)}")
    subprocess.run(cmd, check=True)


def wheel_pins(wheels: Path) -> list[str]:
    """name==version of each wheel, from its file name ({name}-{version}-…whl, name without dashes)."""
    pins = []
    for whl in sorted(wheels.glob("*.whl")):
        name, version = whl.name.split("-")[:2]
        pins.append(f"{_canonical(name)}=={version}")
    return pins


def copy_app(dest: Path, version: str) -> None:
    for rel in APP_FILES:
        src = ROOT / rel
        if src.is_dir():
            for path in sorted(src.rglob("*")):
                inner = path.relative_to(ROOT).as_posix()
                if path.is_file() and not SKIP.search(inner):
                    (dest / inner).parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(path, dest / inner)
        else:
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / rel)
    (dest / "VERSION").write_text(version + "\n")


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def write_checksums(top: Path) -> None:
    files = sorted(p for p in top.rglob("*") if p.is_file() and p.name != "SHA256SUMS")
    lines = [f"{sha256(p)}  {p.relative_to(top).as_posix()}\n" for p in files]
    (top / "SHA256SUMS").write_text("".join(lines))


def make_tarball(top: Path, out: Path) -> None:
    """Sorted entries, root-owned, one fixed time: the same input gives the same members."""
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", "0")) or None

    def clean(info: tarfile.TarInfo) -> tarfile.TarInfo:
        info.uid = info.gid = 0
        info.uname = info.gname = "root"
        if epoch:
            info.mtime = epoch
        return info

    partial = out.with_name(out.name + ".partial")
    with tarfile.open(partial, "w:gz", compresslevel=6) as tar:
        for path in [top, *sorted(top.rglob("*"))]:
            tar.add(path, arcname=path.relative_to(top.parent).as_posix(), recursive=False, filter=clean)
    os.replace(partial, out)


def build(out_dir: Path, version: str, *, pin: bool = True, log=print) -> Path:
    name = f"ksmart-offline-{version}"
    out_dir.mkdir(parents=True, exist_ok=True)
    tarball = out_dir / f"{name}-py{PYTHON_VERSION.replace('.', '')}-x86_64.tar.gz"
    with tempfile.TemporaryDirectory(prefix="ksmart-bundle-") as tmp:
        top = Path(tmp) / name
        wheels = top / "wheels"
        wheels.mkdir(parents=True)
        constraints = None
        if pin:
            wanted = {_canonical(n) for n in _requirement_names(ROOT / "requirements.txt")}
            pins = pins_of_this_environment()
            if not wanted <= {_canonical(p.split("==")[0]) for p in pins}:
                log("this interpreter lacks some requirements; taking the newest allowed versions")
            else:
                constraints = Path(tmp) / "constraints.txt"
                constraints.write_text("\n".join(pins) + "\n")
        download_wheels(wheels, constraints, log)
        (top / "requirements.lock").write_text("\n".join(wheel_pins(wheels)) + "\n")
        copy_app(top / "app", version)
        (top / "deploy").mkdir()
        for f in DEPLOY_FILES:
            shutil.copy2(ROOT / "deploy" / f, top / "deploy" / f)
        shutil.copy2(ROOT / "deploy" / "install.sh", top / "install.sh")
        (top / "install.sh").chmod(0o755)
        write_checksums(top)
        make_tarball(top, tarball)
    tarball.with_name(tarball.name + ".sha256").write_text(f"{sha256(tarball)}  {tarball.name}\n")
    return tarball


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--version", help="bundle version (default: git describe)")
    parser.add_argument("--out", default=str(ROOT / "dist"), help="output folder (default: dist/)")
    parser.add_argument("--no-pin", action="store_true",
                        help="newest versions requirements.txt allows, not the ones installed here")
    args = parser.parse_args(argv)
    version = args.version or version_default()
    if not re.fullmatch(r"[0-9A-Za-z][0-9A-Za-z.+_-]*", version):
        parser.error(f"--version {version!r}: letters, digits and . + _ - only")
    tarball = build(Path(args.out), version, pin=not args.no_pin, log=lambda m: print(m, file=sys.stderr))
    size = tarball.stat().st_size / 1e6
    print(tarball)
    print(f"{size:.0f} MB; copy it and {tarball.name}.sha256 to the server, then: "
          f"sha256sum -c {tarball.name}.sha256 && tar xzf {tarball.name} && sudo ksmart-offline-{version}/install.sh",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
