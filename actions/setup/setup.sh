#!/usr/bin/env bash
# The steps of the capstan setup action (action.yml), one per argument:
#   key      outputs dir (where the build lives, restored by actions/cache) and key (OS release,
#            architecture and a hash of every file the build reads)
#   build    unless BUILD_DIR already holds a .deb built from this source: installs the build
#            packages, builds capstan (Release, no tests) and packs capstan_*.deb; outputs deb
#   install  installs INPUT_DEB, else BUILT_DEB, with apt-get (its Depends come along) and
#            checks it runs; outputs version and deb
set -euo pipefail

root=$(cd "$ACTION_PATH/../.." && pwd)
sudo=""
[ "$(id -u)" -eq 0 ] || sudo=sudo

# A hash of every file the build reads (README.md and .pre-commit-hooks.yaml, which the package
# carries as documentation, are left out: editing them rebuilds nothing).
source_sum() {
  (cd "$root" && find CMakeLists.txt cmake lib tools schemas hooks tests/bench \
    -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum | cut -c1-32)
}

apt_install() {
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$@"
}

case "$1" in
  key)
    . /etc/os-release
    sum=$(source_sum)
    {
      echo "dir=$HOME/.cache/capstan-setup"
      echo "key=capstan-build-${ID}-${VERSION_ID:-none}-$(uname -m)-$sum"
    } >>"$GITHUB_OUTPUT"
    ;;
  build)
    stamp="$BUILD_DIR/source.sha256"
    sum=$(source_sum)
    deb=$(ls "$BUILD_DIR"/capstan_*.deb 2>/dev/null | head -n 1 || true)
    if [ -z "$deb" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$sum" ]; then
      # The build packages of scripts/dev, which is the one list of them.
      packages=$(sed -n '/^build_packages=(/,/)/p' "$root/scripts/dev" | tr -d '()' |
        sed 's/^build_packages=//')
      # shellcheck disable=SC2086
      apt_install $packages dpkg-dev file
      cmake -S "$root" -B "$BUILD_DIR/build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCAPSTAN_TESTS=OFF
      ninja -C "$BUILD_DIR/build"
      rm -f "$BUILD_DIR"/capstan_*.deb
      (cd "$BUILD_DIR/build" && cpack -G DEB -B "$BUILD_DIR" >/dev/null)
      rm -rf "$BUILD_DIR/_CPack_Packages"
      echo "$sum" >"$stamp"
      deb=$(ls "$BUILD_DIR"/capstan_*.deb | head -n 1)
    else
      echo "capstan setup: $deb is built from this source (cache hit)"
    fi
    echo "deb=$deb" >>"$GITHUB_OUTPUT"
    ;;
  install)
    deb=${INPUT_DEB:-${BUILT_DEB:-}}
    if [ -z "$deb" ] || [ ! -f "$deb" ]; then
      echo "::error title=capstan setup::no capstan .deb at '$deb'"
      exit 2
    fi
    case "$deb" in /*) ;; *) deb="$PWD/$deb" ;; esac
    apt_install "$deb"
    version=$(capstan --version)
    echo "$version"
    { echo "version=$version"; echo "deb=$deb"; } >>"$GITHUB_OUTPUT"
    ;;
  *)
    echo "usage: setup.sh key|build|install" >&2
    exit 2
    ;;
esac
