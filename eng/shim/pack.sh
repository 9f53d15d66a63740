#!/usr/bin/env bash
# Rebuilds eng/local-feed/patched.distributedlock.core.1.0.11.nupkg from the nuspec beside this script.
# A .nupkg is a zip archive; a metapackage needs only its nuspec inside. The output is committed so that
# a plain `dotnet restore` works on a clean clone; run this script after editing the nuspec.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
feed="$here/../local-feed"
mkdir -p "$feed"
out="$feed/patched.distributedlock.core.1.0.11.nupkg"
rm -f "$out"
python3 - "$here/Patched.DistributedLock.Core.nuspec" "$out" <<'PY'
import sys, zipfile
nuspec, out = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
    info = zipfile.ZipInfo("Patched.DistributedLock.Core.nuspec", date_time=(2026, 1, 1, 0, 0, 0))
    z.writestr(info, open(nuspec, "rb").read())
PY
echo "wrote $out"
