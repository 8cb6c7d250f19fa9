"""Running the `allennlp` command as a user would, from the repository root, in a subprocess."""
import os
import subprocess
import sys
from pathlib import Path
from typing import Dict, Optional

ROOT = Path(__file__).resolve().parent.parent
ALLENNLP = Path(sys.executable).parent / "allennlp"


def allennlp(*args: str, env: Optional[Dict[str, str]] = None) -> subprocess.CompletedProcess:
    """``allennlp ARGS`` in the repository root; returns the finished process (stdout and stderr as text)."""
    return subprocess.run(
        [str(ALLENNLP), *args], cwd=ROOT, capture_output=True, text=True,
        env={**os.environ, "PYTHONWARNINGS": "ignore", **(env or {})}, timeout=600,
    )
