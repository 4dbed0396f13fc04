#!/usr/bin/env bash
# Stages everything of the Magpie image except the application itself (Jib adds that as its own
# layers): a Java runtime cut down with jlink, the shared libraries that runtime needs, copied from
# this build machine, and the few files a scratch image lacks (/etc/passwd, /tmp, /data).
#
#   stage-runtime.sh <JDK home> <application jar> <output directory>
#
# The runtime keeps the modules jdeps finds in the application, minus those only optional code paths
# of the libraries use (listed below with the reason), plus those loaded by name at run time.
set -euo pipefail

jdk=$1
app_jar=$2
out=$3

# Reached only through optional paths: Jackson's java.beans, java.sql and DOM support, Agrona's code
# generation (javax.tools), Lettuce's JFR events and JNDI DNS resolver. The container tests start the server and the management plane (TLS, Lettuce, Jackson)
# on this runtime, so a module that turns out to be needed fails them.
optional_modules=(java.compiler java.desktop java.sql java.xml jdk.jfr java.naming)
# Loaded by name, so jdeps cannot see them: the SunEC provider (ECDHE and the EC certificate of the
# management plane's TLS) and sun.misc (Unsafe, Signal), which libraries also reach reflectively.
extra_modules=(jdk.crypto.ec jdk.unsupported)

[ -f "$app_jar" ] || { echo "stage-runtime: $app_jar not found (build the server first)" >&2; exit 1; }
for tool in jdeps jlink; do
  [ -x "$jdk/bin/$tool" ] || { echo "stage-runtime: $jdk/bin/$tool not found (a full JDK is needed)" >&2; exit 1; }
done
command -v ldd >/dev/null || { echo "stage-runtime: ldd is needed (libc-bin)" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
rm -rf "$out"
mkdir -p "$out"

# Every module the classes use (--list-deps, not the reduced --print-module-deps: leaving an optional
# module out must not take away what it would have brought in). "base" reads the jar's unversioned
# classes: the shaded libraries' versioned module-info files would make jdeps treat it as a module.
found=$("$jdk/bin/jdeps" --list-deps --ignore-missing-deps --multi-release base -q "$app_jar" \
  | sed -n 's|^ *\([a-z][a-z0-9.]*\)\(/.*\)\{0,1\}$|\1|p' | sort -u | paste -sd, -)
modules=()
IFS=',' read -r -a candidates <<< "$found"
for module in "${candidates[@]}" "${extra_modules[@]}"; do
  skip=no
  for optional in "${optional_modules[@]}"; do
    [ "$module" = "$optional" ] && skip=yes
  done
  for seen in "${modules[@]}"; do
    [ "$module" = "$seen" ] && skip=yes
  done
  [ $skip = no ] && modules+=("$module")
done
module_list=$(IFS=','; echo "${modules[*]}")
echo "stage-runtime: jdeps found $found; the runtime gets $module_list"

java_home="$out/opt/java"
# Left out as well: the class list and jrt-fs.jar, which only serve building CDS archives and
# tools reading this runtime from another JDK.
"$jdk/bin/jlink" --add-modules "$module_list" --strip-debug --no-man-pages --no-header-files \
  --compress=2 --exclude-files='/java.base/lib/classlist,/java.base/lib/jrt-fs.jar' --output "$java_home"
# The JDK's libjvm keeps its symbol table; the dynamic symbols are all the loader needs.
if command -v strip >/dev/null; then
  strip --strip-unneeded "$java_home/lib/server/libjvm.so"
else
  echo "stage-runtime: strip not found (binutils); libjvm.so keeps its symbols, about 3.5 MB more" >&2
fi
rm -f "$java_home/lib/server/classes"*.jsa

# renice: background writers (AOF rewrite, BGSAVE) lower their own thread's priority with it, since
# Java cannot; without it they run at normal priority. It needs only libc, which the runtime brings.
if renice=$(command -v renice); then
  mkdir -p "$out/usr/bin"
  cp -L "$renice" "$out/usr/bin/renice"
else
  echo "stage-runtime: renice not found (bsdutils); background writers will keep the normal priority" >&2
fi

# Every shared library the runtime's binaries load, under the path this machine's loader found it at
# (the dynamic loader itself too: its path is written into every binary).
libs="$work/libs"
binaries=("$java_home")
[ -d "$out/usr/bin" ] && binaries+=("$out/usr/bin")
find "${binaries[@]}" -type f \( -name '*.so' -o -path '*/bin/*' \) -print0 \
  | xargs -0 ldd 2>/dev/null \
  | awk '/=> \// { print $3 } /^\t\/[^ ]+ \(/ { print $1 }' | sort -u > "$libs"
# Name lookups (getpwuid, getaddrinfo) may load these at run time; ldd cannot see dlopen.
for extra in libnss_files.so.2 libnss_dns.so.2 libresolv.so.2; do
  for dir in /lib/x86_64-linux-gnu /usr/lib/x86_64-linux-gnu /lib64 /usr/lib64; do
    if [ -e "$dir/$extra" ]; then echo "$dir/$extra" >> "$libs"; break; fi
  done
done
while read -r lib; do
  case "$lib" in "$out"/*|"") continue ;; esac
  mkdir -p "$out$(dirname "$lib")"
  cp -L "$lib" "$out$lib"
done < <(sort -u "$libs")

# A scratch image has no /etc/passwd: Java looks its user up there (user.name, user.home).
mkdir -p "$out/etc/magpie" "$out/tmp" "$out/data"
printf 'root:x:0:0:root:/root:/sbin/nologin\nmagpie:x:999:0:Magpie:/data:/sbin/nologin\n' > "$out/etc/passwd"
printf 'root:x:0:magpie\n' > "$out/etc/group"
printf 'hosts: files dns\n' > "$out/etc/nsswitch.conf"
echo "stage-runtime: runtime $(du -sh "$java_home" | cut -f1), everything $(du -sh "$out" | cut -f1) in $out"
