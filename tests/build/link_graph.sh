#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The libraries under src/ link only as docs/architecture.md says: its
# ```links block (one "library -> deps" line each) must equal the graph CMake
# built (BUILD_DIR/link_graph.txt, written at configure time), edge for edge.
# Usage: link_graph.sh SOURCE_DIR BUILD_DIR. Exit 0 equal, 1 not (the
# differing edges are printed).
set -euo pipefail
src=$1 build=$2
doc=$src/docs/architecture.md
built=$build/link_graph.txt
[[ -f $built ]] || { echo "FAIL: $built missing (configure with cmake first)"; exit 1; }
# One "from to" line per edge, sorted; a library without deps is "from -".
edges() { awk '{ if (NF == 2) print $1, "-"; for (i = 3; i <= NF; i++) print $1, $i }' | sort -u; }
want=$(awk '/^```links$/ { on = 1; next } /^```$/ { on = 0 } on' "$doc" | edges)
have=$(edges <"$built")
[[ -n $want ]] || { echo "FAIL: no \`\`\`links block in $doc"; exit 1; }
if [[ $want == "$have" ]]; then
  echo "link graph: $(wc -l <<<"$have") edges, as docs/architecture.md draws them"
  exit 0
fi
echo "FAIL: the link graph differs from docs/architecture.md"
echo "built but not documented:"; comm -13 <(echo "$want") <(echo "$have") | sed 's/ / -> /; s/^/  /'
echo "documented but not built:"; comm -23 <(echo "$want") <(echo "$have") | sed 's/ / -> /; s/^/  /'
exit 1
