#!/usr/bin/env bash
# The main job: set up (scripts/install.sh), then show what the plugin's readers load from the
# bundled sample. (Training JMT and the tagger joins here as the models land.)
set -euo pipefail
cd "$(dirname "$0")/.."
export PYTHONWARNINGS=ignore  # upstream deprecation noise (pkg_resources, google-api-core)
bash scripts/install.sh
.venv/bin/allennlp jmt-data-summary fixtures/data/summary.jsonnet 2> >(grep -v "nltk_data" >&2)
