"""`python -m bench`: the answer-quality and speed benchmark (see bench/quality.py)."""

import sys

from bench.quality import main

sys.exit(main())
