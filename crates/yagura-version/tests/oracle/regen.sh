#!/bin/sh
# Regenerates the oracle tables (*.tsv, *.invalid.txt) from the reference
# implementations installed on this machine. Needs: python3-apt,
# python3-rpm (system /usr/bin/python3), a venv with `packaging`
# ($PEP440_VENV), node + `semver` ($SEMVER_DIR), go, java/javac + Maven's
# maven-artifact jar, ruby, php-cli + the Debian `composer` package.
# Usage: tests/oracle/regen.sh [dpkg rpm pep440 semver go maven rubygems composer hand]
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
ORACLES="$HERE/oracles"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

PEP440_VENV=${PEP440_VENV:-/var/cache/yagura/bench-venv/oracles}
SEMVER_DIR=${SEMVER_DIR:-/var/cache/yagura/bench-data/oracles/node}
MAVEN_JAR=${MAVEN_JAR:-$(ls /usr/share/maven/lib/maven-artifact*.jar | head -n1)}

# PEP 440: packaging in a venv (pip install packaging).
export PEP440_ORACLE="$PEP440_VENV/bin/python $ORACLES/pep440_oracle.py"
PACKAGING_VERSION=$("$PEP440_VENV/bin/python" -c 'import packaging; print(packaging.__version__)')
export PACKAGING_VERSION

# SemVer: node-semver installed with `npm install semver` in $SEMVER_DIR.
export SEMVER_MODULE="$SEMVER_DIR/node_modules/semver"
export SEMVER_ORACLE="node $ORACLES/semver_oracle.js"
SEMVER_VERSION=$(node -p "require('$SEMVER_MODULE/package.json').version")
export SEMVER_VERSION

# Go: golang.org/x/mod/semver as vendored in the Go source tree.
mkdir -p "$WORK/go/semver"
cp "$(go env GOROOT)/src/cmd/vendor/golang.org/x/mod/semver/semver.go" "$WORK/go/semver/"
cp "$ORACLES/go_oracle.go" "$WORK/go/main.go"
printf 'module oracle\n\ngo 1.19\n' > "$WORK/go/go.mod"
(cd "$WORK/go" && GOFLAGS=-mod=mod GOPROXY=off go build -o "$WORK/go_oracle" .)
export GO_ORACLE="$WORK/go_oracle"
GO_VERSION=$(go env GOVERSION)
export GO_VERSION

# Maven: ComparableVersion from the installed maven-artifact jar.
javac -cp "$MAVEN_JAR" -d "$WORK/java" "$ORACLES/MavenOracle.java"
export MAVEN_ORACLE="java -cp $WORK/java:$MAVEN_JAR MavenOracle"
MAVEN_ARTIFACT_VERSION=$(unzip -p "$MAVEN_JAR" META-INF/maven/org.apache.maven/maven-artifact/pom.properties | sed -n 's/^version=//p')
export MAVEN_ARTIFACT_VERSION

# RubyGems and Composer.
export RUBYGEMS_ORACLE="ruby $ORACLES/rubygems_oracle.rb"
RUBY_VERSION_STR="ruby $(ruby -e 'print RUBY_VERSION') / rubygems $(ruby -e 'print Gem::VERSION')"
export RUBY_VERSION_STR
export COMPOSER_ORACLE="php $ORACLES/composer_oracle.php"
COMPOSER_VERSION=$(dpkg-query -W -f '${Version}' composer 2>/dev/null || echo '?')
export COMPOSER_VERSION

/usr/bin/python3 "$HERE/gen.py" "$@"
