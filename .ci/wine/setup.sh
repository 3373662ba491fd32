#!/usr/bin/env bash
# (A copy of ../shared/tools/wine/setup.sh, kept here so CI has it on a clean checkout.)
# setup.sh PREFIX: a Wine prefix that behaves like a Japanese Windows 10/11 PC for
# smoke-testing shiryo.exe: Debian's wine, the one system DLL that Wine 8 lacks
# (bcryptprimitives.dll, which Rust's std imports; a stand-in over RtlGenRandom),
# BIZ UD fonts installed under their Windows file names (BIZ-UDGothicR.ttc and
# BIZ-UDGothicB.ttc, as Windows ships them), and no Z: drive, so the Linux file
# system (and its fonts) is out of reach as it is on a real PC.
# Run programs with: WINEPREFIX=PREFIX WINEDEBUG=-all wine PROGRAM.exe ...
set -euo pipefail
prefix=$(realpath -m "$1"); here=$(cd "$(dirname "$0")" && pwd)
need=()
command -v wine >/dev/null || need+=(wine wine64)
command -v x86_64-w64-mingw32-gcc >/dev/null || need+=(gcc-mingw-w64-x86-64)
[ -f /usr/share/fonts/truetype/bizud-gothic/BIZUDPGothic-Regular.ttf ] || need+=(fonts-morisawa-bizud-gothic)
if [ ${#need[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
export WINEPREFIX=$prefix WINEDEBUG=-all
if [ ! -f "$prefix/system.reg" ]; then
  wineboot -i >/dev/null 2>&1 || true
  wineserver -w || true
fi
sys32=$prefix/drive_c/windows/system32
if [ ! -f "$sys32/bcryptprimitives.dll" ]; then
  x86_64-w64-mingw32-gcc -shared -O2 -o "$sys32/bcryptprimitives.dll" \
    "$here/bcryptprimitives.c" "$here/bcryptprimitives.def" -ladvapi32
fi
fonts=$prefix/drive_c/windows/Fonts; mkdir -p "$fonts"
d=/usr/share/fonts/truetype/bizud-gothic
[ -f "$fonts/BIZ-UDGothicR.ttc" ] || python3 "$here/mkttc.py" "$fonts/BIZ-UDGothicR.ttc" "$d/BIZUDGothic-Regular.ttf" "$d/BIZUDPGothic-Regular.ttf"
[ -f "$fonts/BIZ-UDGothicB.ttc" ] || python3 "$here/mkttc.py" "$fonts/BIZ-UDGothicB.ttc" "$d/BIZUDGothic-Bold.ttf" "$d/BIZUDPGothic-Bold.ttf"
rm -f "$prefix/dosdevices/z:"
echo "$prefix"
