#!/usr/bin/env bash
# tests/build/no_static_init.sh ARCHIVE...
#
# `sockscope jvm attach PID CMD` runs from .preinit_array, before any C++
# static initializer (src/cli/attach_action.cpp). So the libraries that path reaches
# must hold no object with a dynamic initializer: a namespace-scope
# std::string or std::set there would be used before it is constructed.
# Such an object puts an .init_array section in its object file; this fails
# when any archive given has one, and names the object.
set -euo pipefail
(( $# > 0 )) || { echo "usage: $0 ARCHIVE..." >&2; exit 2; }
bad=0
for archive in "$@"; do
    sections=$(readelf -SW "$archive") || { echo "readelf cannot read $archive" >&2; exit 2; }
    while read -r member; do
        [[ -n $member ]] || continue
        echo "$(basename "$archive"): $member has a dynamic initializer (.init_array);" \
             "make the object constexpr or a function-local static" >&2
        bad=1
    done <<<"$(awk -v f="$archive" '/^File: /{f=$2} /\.init_array/{print f}' <<<"$sections" | sort -u)"
done
exit $bad
