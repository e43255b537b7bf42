# Sourced by ./kontor, ./run-tests and .ci/run: sets JAVA_HOME to a JDK >= 21 or exits with a clear message.
# Order: $JAVA_HOME, then /usr/lib/jvm/temurin-25-jdk-amd64.
kontor_jdk_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 |
    sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1
}
kontor_find_jdk() {
  local candidate major
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ] || continue
    major=$(kontor_jdk_major "$candidate")
    if [ -n "$major" ] && [ "$major" -ge 21 ]; then
      export JAVA_HOME="$candidate"
      return 0
    fi
  done
  echo "kontor: no JDK 21 or newer found. Set JAVA_HOME to one (tried \$JAVA_HOME='${JAVA_HOME:-}' and /usr/lib/jvm/temurin-25-jdk-amd64)." >&2
  exit 1
}
kontor_find_jdk
# Maven 3.8 itself touches sun.misc.Unsafe; on JDK 24+ that prints warnings on every build.
export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
[ "$(kontor_jdk_major "$JAVA_HOME")" -ge 24 ] || export MAVEN_OPTS="${MAVEN_OPTS/--sun-misc-unsafe-memory-access=allow/}"
