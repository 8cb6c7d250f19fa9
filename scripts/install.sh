#!/usr/bin/env bash
# Creates .venv with the pinned AllenNLP 2.10.1 + torch 2.x stack, installs allennlp_jmt into it
# (editable) and checks the result. Re-running it when nothing changed only re-checks.
#
# Why not `pip install allennlp`: allennlp 2.10.1 pins torch<1.13, which has no Python 3.11
# wheel. requirements/lock.txt pins every package of a stack that works (see README, Install)
# and is installed with --no-deps, so pip never sees that stale pin.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3.11}
VENV=.venv
STAMP=$VENV/.allennlp-jmt-installed
want=$(cat requirements/lock.txt setup.cfg pyproject.toml | sha256sum | cut -d' ' -f1)

if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$want" ]; then
  echo "install: $VENV is up to date with requirements/lock.txt"
else
  start=$(date +%s)
  [ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"
  pip_install() {  # quiet, minus the warnings about local index folders some machines' pip.conf names
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps "$@" \
      2> >(grep -v "^WARNING: Location '.*' is ignored" >&2)
  }
  pip_install -r requirements/lock.txt
  pip_install --no-build-isolation -e .
  echo "$want" > "$STAMP"
  echo "install: installed the stack and allennlp_jmt in $(( $(date +%s) - start )) s"
fi

# Offline and quiet (see requirements/offline/README.md): NLTK finds a local punkt folder, so
# importing allennlp-models does not call nltk.download; two known-harmless warnings that
# upstream packages raise at import, before any plugin code runs, are silenced at start-up.
mkdir -p "$VENV/nltk_data/tokenizers"
cp -r requirements/offline/punkt "$VENV/nltk_data/tokenizers/"
cp requirements/offline/allennlp_jmt_quiet_upstream.pth "$("$VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')/"

# Checks: AllenNLP's own, then the plugin's registrations beside allennlp-models.
"$VENV/bin/allennlp" test-install 2>&1 | tail -n 2
"$VENV/bin/python" -m allennlp_jmt.check_install
