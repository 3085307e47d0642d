#!/usr/bin/env bash
# Rehearses a release without keys or credentials: builds the Maven Central bundle of a copy of
# this checkout at a release version (default 0.1.0), unsigned and not uploaded, and checks that
# it holds what Central requires: a POM for the BOM and the parent, and a jar, sources, Javadoc
# and POM for each library module, with checksums.
#
#   scripts/release-dry-run.sh [VERSION]
#
# The real release is `mvn -B -P release deploy` with a GPG key and a "central" server in
# settings.xml; the bundle then waits on central.sonatype.com to be published by hand.
set -euo pipefail

version="${1:-0.1.0}"
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# The tracked and untracked files of the working tree, without what git ignores (build output).
(cd "$repo" && git ls-files -z --cached --others --exclude-standard | xargs -0 tar cf -) | (cd "$work" && tar xf -)
snapshot="$(sed -n 's:.*<version>\(.*-SNAPSHOT\)</version>.*:\1:p' "$work/pom.xml" | head -1)"
find "$work" -name pom.xml -exec sed -i "s/$snapshot/$version/g" {} +

(cd "$work" && mvn -B -q -P release -Dgpg.skip -DskipUpload -DskipTests deploy)

bundle="$work/gossip4j-bom/target/central-publishing/central-bundle.zip"
listing="$(unzip -Z1 "$bundle")"
missing=0
expect() {
  if ! grep -qx "$1" <<<"$listing"; then
    echo "missing from the bundle: $1" >&2
    missing=1
  fi
}
for pom in gossip4j-bom gossip4j-parent; do
  expect "io/gossip4j/$pom/$version/$pom-$version.pom"
done
for module in gossip-core gossip-netty gossip-micrometer; do
  base="io/gossip4j/$module/$version/$module-$version"
  for file in "$base.pom" "$base.jar" "$base-sources.jar" "$base-javadoc.jar"; do
    expect "$file"
    expect "$file.sha1"
    expect "$file.md5"
  done
done
if grep -q "gossip-sim\|gossip-examples\|gossip-jmh" <<<"$listing"; then
  echo "the bundle holds a module that is not published" >&2
  missing=1
fi
[ "$missing" = 0 ] || exit 1
mkdir -p "$repo/target"
cp "$bundle" "$repo/target/central-bundle-$version.zip"
echo "bundle OK: target/central-bundle-$version.zip ($(grep -c . <<<"$listing") files)"
